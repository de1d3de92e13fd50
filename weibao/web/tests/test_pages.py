"""The web shell: pages by role, tenant isolation on every page, policy as tables, i18n."""

import pytest

pytestmark = pytest.mark.django_db


def test_login_required(client):
    response = client.get("/sites/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_customer_user_sees_own_site_with_archive_and_404_for_another(client, world):
    client.force_login(world.user_a)
    page = client.get(f"/sites/{world.site_a.pk}/").content.decode()
    assert "甲端局" in page
    assert "客户档案" in page
    assert world.asset_a.serial_number in page
    assert client.get(f"/sites/{world.site_b.pk}/").status_code == 404
    assert client.get(f"/assets/{world.asset_b.pk}/").status_code == 404
    assert client.get(f"/contracts/{world.contract_b.pk}/").status_code == 404
    assert client.get(f"/customers/{world.customer_b.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/sites/", "/assets/", "/contracts/", "/customers/"])
def test_lists_never_show_another_customer(client, world, url):
    client.force_login(world.user_a)
    page = client.get(url).content.decode()
    assert "乙端局" not in page
    assert "乙客户" not in page


def test_provider_lists_show_all_customers_and_filter_with_htmx(client, world):
    client.force_login(world.provider_user)
    page = client.get("/sites/").content.decode()
    assert "甲端局" in page and "乙端局" in page
    partial = client.get("/sites/?q=乙", HTTP_HX_REQUEST="true").content.decode()
    assert "乙端局" in partial and "甲端局" not in partial
    assert "<html" not in partial


def test_contract_page_shows_policy_tables(client, world):
    client.force_login(world.user_a)
    page = client.get(f"/contracts/{world.contract_a.pk}/").content.decode()
    assert "响应时限（表 11–13）" in page
    assert "30 分钟" in page  # 表 11 L1
    assert "3 天" in page  # 表 14 beyond 400 km
    assert "服务中心总经理" in page  # 表 16 L1 at 1 h
    assert "取两者中较晚者" in page


def test_asset_page_shows_audit_of_changes(client, world):
    world.asset_a.software_version = "V9"
    world.asset_a.save()
    client.force_login(world.provider_user)
    page = client.get(f"/assets/{world.asset_a.pk}/").content.decode()
    assert "软件版本" in page and "V9" in page


def test_chinese_by_default_and_english_on_request(client, world):
    client.force_login(world.provider_user)
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Customers" in page


def test_pages_load_no_third_party_resources(client, world):
    client.force_login(world.provider_user)
    page = client.get(f"/sites/{world.site_a.pk}/").content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
    assert "/static/django_htmx/htmx" in page

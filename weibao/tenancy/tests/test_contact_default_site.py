"""A contact's default site: the phone intake and `GET /api/contacts/lookup/` fill it in
when the customer has several sites; it must be one of the contact's customer's sites; the
contact import names it by its code."""

import pytest
from django.core.exceptions import ValidationError

from weibao.tenancy.models import Contact
from weibao.tenancy.selectors import callers_by_phone
from weibao.testing.factories import ContactFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_site(world):
    return SiteFactory(customer=world.customer_a, name="鼓楼端局", code="GL-2")


def test_the_callers_default_site_is_given_when_the_customer_has_several(world, second_site):
    plain = ContactFactory(customer=world.customer_a, name="甲", phone="13900000002")
    duty = ContactFactory(
        customer=world.customer_a, name="乙", phone="13800000002", default_site=second_site
    )
    found = {c.contact: c.site_id for c in callers_by_phone(world.provider_user, "0002")}
    assert found == {plain: None, duty: second_site.pk}


def test_the_api_lookup_fills_the_default_site(api, world, second_site):
    ContactFactory(
        customer=world.customer_a, name="钱值班员", phone="13900000002", default_site=second_site
    )
    api.force_authenticate(world.user_a)
    (caller,) = api.get("/api/contacts/lookup/", {"phone": "0002"}).json()
    assert caller["site"] == second_site.pk
    assert caller["contact"]["default_site"] == second_site.pk


def test_the_intake_form_fills_the_default_site(client, desk):
    other = SiteFactory(customer=desk.customer, name="鼓楼端局", code="GL-2")
    ContactFactory(customer=desk.customer, name="钱值班员", phone="13900000002", default_site=other)
    client.force_login(desk.agent)
    page = client.get(
        "/tickets/new/caller/", {"contact_phone": "0002", "contact_name": "", "customer": ""}
    ).content.decode()
    assert "GL-2 · 鼓楼端局" in page


def test_a_default_site_of_another_customer_is_refused(world):
    contact = ContactFactory(customer=world.customer_a, phone="13900000002")
    contact.default_site = world.site_b
    with pytest.raises(ValidationError) as refused:
        contact.full_clean()
    assert "default_site" in refused.value.message_dict


def test_the_contact_import_names_the_default_site_by_code(
    client, world, second_site, settings, tmp_path
):
    from weibao.web.tests.test_imports import upload, xlsx

    settings.VAR_DIR = tmp_path
    client.force_login(world.admin)
    code = world.customer_a.code
    headers = ["客户代码", "姓名", "电话", "角色", "默认机房编号"]
    url = upload(
        client,
        "contacts",
        xlsx(
            headers,
            [code, "赵工", "13900000000", "值班人员", "gl-2"],
            [code, "钱工", "13900000001", "值班人员", world.site_b.code],
        ),
    )
    page = client.get(url).content.decode()
    assert "第 3 行：默认机房编号 该客户没有编号为" in page
    assert not Contact.objects.filter(name="赵工").exists()  # nothing written before confirming
    url = upload(
        client, "contacts", xlsx(headers, [code, "赵工", "13900000000", "值班人员", "gl-2"])
    )
    client.get(url)
    client.post(url + "confirm/")
    assert Contact.objects.get(name="赵工").default_site == second_site

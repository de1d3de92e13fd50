"""Lists of the web shell: sorted by a click on a header, paged with a total, searched, and
exported to Excel with the same rows in the same order (formula text kept as text)."""

import io
import re

import pytest
from openpyxl import load_workbook

from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def _codes(page: str) -> list[str]:
    """The site codes of a site list page, in the order shown (codes are S-nnn)."""
    return re.findall(r"<tr><td>(S-\d+|Z-\d+)</td>", page)


def _sheet(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def sites(world):
    """Three more sites of customer A with distinct names, codes and kinds."""
    f.SiteFactory(customer=world.customer_a, code="Z-001", name="丙机房", kind="core")
    f.SiteFactory(customer=world.customer_a, code="Z-002", name="甲甲机房", kind="front_end")
    f.SiteFactory(customer=world.customer_a, code="Z-003", name="乙乙机房", kind="aggregation")
    return world


def test_every_sortable_header_sorts_both_ways(client, sites):
    client.force_login(sites.admin)
    expected = Site.objects.values_list("code", flat=True)
    for key, fields in [
        ("code", ["code"]),
        ("name", ["name"]),
        ("kind", ["kind", "code"]),
        ("customer", ["customer__name", "kind", "code"]),
        ("service_point", ["service_point__name", "code"]),
    ]:
        for sign in ("", "-"):
            page = client.get(f"/sites/?sort={sign}{key}").content.decode()
            order = [f"{sign}{name}" for name in [*fields, "pk"]]
            assert _codes(page) == list(expected.order_by(*order)), (sign, key)
            arrow = "▼" if sign else "▲"
            assert arrow in page


@pytest.mark.parametrize("url", ["/customers/", "/assets/", "/contracts/"])
def test_other_lists_sort_by_their_headers(client, world, url):
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    keys = re.findall(r'href="\?sort=(-?[a-z_]+)"', page)
    assert keys, "every list has sortable headers"
    for key in keys:
        for sort in (key, f"-{key.lstrip('-')}"):
            response = client.get(f"{url}?sort={sort}")
            assert response.status_code == 200
            assert 'aria-sort="' in response.content.decode()


def test_unknown_sort_key_is_ignored(client, sites):
    client.force_login(sites.admin)
    default = _codes(client.get("/sites/").content.decode())
    for bad in ("password", "-customer__provider__name", "", "--code", "latitude"):
        response = client.get(f"/sites/?sort={bad}")
        assert response.status_code == 200
        assert _codes(response.content.decode()) == default


def test_list_shows_total_and_pages_keep_filters_and_sort(client, world):
    Customer.objects.bulk_create(
        Customer(provider=world.customer_a.provider, name=f"批量客户{n:02d}", code=f"bulk-{n:02d}")
        for n in range(51)
    )
    client.force_login(world.admin)
    page = client.get("/customers/?q=批量&sort=-name").content.decode()
    assert "共 51 条" in page
    assert "批量客户50" in page and "批量客户00" not in page
    assert "page=2" in page and "sort=-name" in page and "q=" in page
    second = client.get("/customers/?q=批量&sort=-name&page=2").content.decode()
    assert "批量客户00" in second and "甲客户" not in second


def test_search_and_htmx_partial_keep_total(client, sites):
    client.force_login(sites.admin)
    partial = client.get("/sites/?q=机房&kind=core", HTTP_HX_REQUEST="true").content.decode()
    assert _codes(partial) == ["Z-001"]
    assert "共 1 条" in partial
    assert "format=xlsx" in partial  # the export link follows the filters


def test_export_has_filtered_rows_in_order_on_all_pages(client, sites):
    client.force_login(sites.admin)
    sheet = _sheet(client.get("/sites/?q=机房&sort=-name&format=xlsx&page=2"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "名称", "类型", "客户")
    expected = Site.objects.filter(name__contains="机房").order_by("-name", "-pk")
    assert [r[0] for r in rows[1:]] == [s.code for s in expected]
    assert rows[1][2] in ("核心机房", "前端", "汇聚机房", "端局机房")


def test_export_writes_formula_text_as_text(client, world):
    world.customer_a.name = '=HYPERLINK("http://evil.example","点我")'
    world.customer_a.save()
    client.force_login(world.admin)
    sheet = _sheet(client.get("/customers/?q=HYPERLINK&format=xlsx"))
    cell = sheet.cell(row=2, column=1)
    assert cell.value == world.customer_a.name
    assert cell.data_type == "s"
    assert sheet.max_row == 2


def test_customer_export_holds_only_their_own_rows(client, world):
    client.force_login(world.user_a)
    sheet = _sheet(client.get("/sites/?format=xlsx"))
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲端局"]
    assert "客户" not in [c.value for c in sheet[1]]


def test_contracts_are_searchable(client, world):
    client.force_login(world.admin)
    page = client.get(f"/contracts/?q={world.contract_b.number}").content.decode()
    assert world.contract_b.number in page and world.contract_a.number not in page
    assert "共 1 条" in page


def test_api_lists_sort_and_search(api, world):
    api.force_authenticate(world.admin)
    answer = api.get("/api/sites/?ordering=-name&search=端局").json()
    expected = Site.objects.filter(name__contains="端局").order_by("-name")
    assert [row["name"] for row in answer["results"]] == [s.name for s in expected]
    answer = api.get("/api/customers/?ordering=name&search=乙").json()
    assert [row["name"] for row in answer["results"]] == ["乙客户"]


def test_api_exports_the_lists_as_their_pages_do(api, sites):
    api.force_authenticate(sites.admin)
    rows = list(_sheet(api.get("/api/sites/export/", {"ordering": "-name", "search": "机房"}))
                .iter_rows(values_only=True))  # fmt: skip
    expected = Site.objects.filter(name__contains="机房").order_by("-name")
    assert rows[0][:4] == ("编号", "名称", "类型", "客户")
    assert [r[0] for r in rows[1:]] == [s.code for s in expected]
    assert rows[1][-1] == 0  # the asset count, annotated for the export
    rows = list(_sheet(api.get("/api/customers/export/", {"search": "乙"}))
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[1:] == [("乙客户", sites.customer_b.code, 1)]
    rows = list(_sheet(api.get("/api/contracts/export/", {"search": sites.contract_b.number}))
                .iter_rows(values_only=True))  # fmt: skip
    assert [r[0] for r in rows[1:]] == [sites.contract_b.number]
    rows = list(_sheet(api.get("/api/assets/export/")).iter_rows(values_only=True))
    assert rows[0][0] == "名称" and len(rows) - 1 == 2
    api.force_authenticate(sites.user_b)  # another customer: only their own rows
    rows = list(_sheet(api.get("/api/sites/export/")).iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["乙端局"] and "客户" not in rows[0]
    rows = list(_sheet(api.get("/api/contracts/export/")).iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [sites.contract_b.number]

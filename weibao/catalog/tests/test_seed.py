"""The catalog (表 01) and the Gold plan (表 02) are data present after `migrate`."""

from decimal import Decimal

import pytest

from weibao.catalog.models import Entitlement, Plan, ServiceItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "name", "category"),
    [
        ("001", "电话咨询服务", "技术支持服务"),
        ("002", "电话支持服务", "技术支持服务"),
        ("003", "远程技术支持服务", "技术支持服务"),
        ("004", "动环/视频平台故障排除服务", "技术支持服务"),
        ("005", "现场技术支持服务", "技术支持服务"),
        ("006", "现场培训服务", "技术支持服务"),
        ("007", "硬件维修服务", "硬件支持服务"),
        ("008", "备件服务", "硬件支持服务"),
        ("009", "备件销售服务", "硬件支持服务"),
        ("010", "设备巡检服务", "个性化服务"),
        ("011", "系统运行情况分析服务", "个性化服务"),
    ],
)
def test_catalog_item_of_table_01(code, name, category):
    item = ServiceItem.objects.select_related("category").get(code=code)
    assert (item.name, item.category.name) == (name, category)


@pytest.mark.parametrize(
    ("code", "quantity", "unit", "period", "site_kind"),
    [
        ("spare_exchange", Decimal(10), "times", "contract_year", ""),
        ("inspection_core", Decimal(1), "times", "quarter", "core"),
        ("inspection_end_office", Decimal(50), "percent_of_sites", "half_year", "end_office"),
        ("operation_analysis_quarterly", Decimal(1), "reports", "quarter", ""),
        ("phone_support", None, "", "", ""),
        ("l1_emergency", None, "", "", ""),
        ("onsite_l2", None, "", "", ""),
        ("third_party_renewal", None, "", "", ""),
        ("network_consulting", None, "", "", ""),
    ],
)
def test_gold_entitlement_of_table_02(code, quantity, unit, period, site_kind):
    row = Entitlement.objects.get(plan__code="gold", code=code)
    assert (row.quantity, row.unit, row.period, row.site_kind) == (
        quantity,
        unit,
        period,
        site_kind,
    )


def test_gold_plan_has_every_service_of_table_02():
    gold = Plan.objects.get(code="gold")
    assert gold.name == "金牌"
    assert gold.entitlements.count() == 16
    assert Entitlement.objects.get(plan=gold, code="spare_exchange").allowance == "10次 / 每合同年"


def test_plan_and_catalog_are_served_by_the_api(api, world):
    api.force_authenticate(world.user_a)
    plans = api.get("/api/plans/?code=gold").json()["results"]
    spare = next(e for e in plans[0]["entitlements"] if e["code"] == "spare_exchange")
    assert (spare["quantity"], spare["period"], spare["item"]) == ("10.00", "contract_year", "008")
    categories = api.get("/api/catalog/categories/").json()["results"]
    assert [c["name"] for c in categories][:2] == ["技术支持服务", "硬件支持服务"]

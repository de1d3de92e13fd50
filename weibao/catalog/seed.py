"""The service catalog of 表 01 and the Gold plan of 表 02, as seed data.

Migrations load these rows with `load(apps)`; afterwards they are ordinary data that an
administrator edits in the admin.
"""

from __future__ import annotations

CATEGORIES = [
    # code, name, name_en, order
    ("technical_support", "技术支持服务", "Technical support", 1),
    ("hardware_support", "硬件支持服务", "Hardware support", 2),
    ("documentation", "资料共享服务", "Documentation sharing", 3),
    ("personalised", "个性化服务", "Personalised services", 4),
    ("third_party", "第三方代理服务", "Third-party agency services", 5),
]

ITEMS = [
    # category, code, slug, name, name_en
    ("technical_support", "001", "phone_consultation", "电话咨询服务", "Phone consultation"),
    ("technical_support", "002", "phone_support", "电话支持服务", "Phone support"),
    ("technical_support", "003", "remote_support", "远程技术支持服务", "Remote technical support"),
    ("technical_support", "004", "platform_troubleshooting", "动环/视频平台故障排除服务",
     "Monitoring/video platform troubleshooting"),
    ("technical_support", "005", "onsite_support", "现场技术支持服务", "On-site technical support"),
    ("technical_support", "006", "onsite_training", "现场培训服务", "On-site training"),
    ("hardware_support", "007", "hardware_repair", "硬件维修服务", "Hardware repair"),
    ("hardware_support", "008", "spare_exchange", "备件服务", "Spare-part exchange"),
    ("hardware_support", "009", "spare_sales", "备件销售服务", "Spare-part sales"),
    ("personalised", "010", "inspection", "设备巡检服务", "Equipment inspection"),
    ("personalised", "011", "operation_analysis", "系统运行情况分析服务", "Operation analysis"),
    ("technical_support", "012", "version_management", "版本管理及软件补丁服务",
     "Version management and software patches"),
    ("documentation", "013", "online_documents", "网上资料服务", "Online documents"),
    ("personalised", "014", "network_consulting", "网络改造方案咨询服务",
     "Network-change consulting"),
    ("third_party", "015", "third_party_renewal", "第三方续保服务", "Third-party warranty renewal"),
]  # fmt: skip

GOLD = ("gold", "金牌", "Gold", "金牌服务服务解决方案（表 02）")

# item slug, entitlement code, name, quantity, unit, period, site kind, note
GOLD_ENTITLEMENTS = [
    ("phone_consultation", "phone_consultation", "电话咨询服务", None, "", "", "", "7×24"),
    ("phone_support", "phone_support", "电话支持服务", None, "", "", "", "7×24"),
    ("remote_support", "remote_support", "远程技术支持服务", None, "", "", "", "经客户同意"),
    ("platform_troubleshooting", "l1_emergency", "紧急故障（一级故障）排除服务",
     None, "", "", "", ""),
    ("onsite_support", "onsite_l2", "现场技术支持服务（二级故障排除）", None, "", "", "", ""),
    ("version_management", "version_management", "版本管理及软件补丁服务", None, "", "", "", ""),
    ("onsite_training", "onsite_training", "现场培训服务", None, "", "", "", "每次不超过 2 小时"),
    ("hardware_repair", "hardware_repair", "硬件维修服务", None, "", "", "",
     "国内 30 / 国外 60 个工作日"),
    ("spare_exchange", "spare_exchange", "备件服务", 10, "times", "contract_year", "", "10 次/年"),
    ("spare_sales", "spare_sales", "备件销售服务", None, "", "", "", ""),
    ("online_documents", "online_documents", "网上资料服务", None, "", "", "", ""),
    ("inspection", "inspection_core", "核心机房的巡检服务", 1, "times", "quarter", "core",
     "一次/季度，含监控中心"),
    ("inspection", "inspection_end_office", "50% 端局机房的巡检服务", 50, "percent_of_sites",
     "half_year", "end_office", "一次/半年，轮换使每个端局每年至少巡检一次"),
    ("operation_analysis", "operation_analysis_quarterly", "季度系统运行情况分析", 1, "reports",
     "quarter", "", ""),
    ("network_consulting", "network_consulting", "网络改造方案咨询服务", None, "", "", "", ""),
    ("third_party_renewal", "third_party_renewal", "第三方续保服务", None, "", "", "", ""),
]  # fmt: skip


def load(apps) -> None:
    """Create or update the catalog and the Gold plan (idempotent)."""
    category_model = apps.get_model("catalog", "ServiceCategory")
    item_model = apps.get_model("catalog", "ServiceItem")
    plan_model = apps.get_model("catalog", "Plan")
    entitlement_model = apps.get_model("catalog", "Entitlement")

    categories = {}
    for code, name, name_en, order in CATEGORIES:
        categories[code], _ = category_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    items = {}
    for category, code, slug, name, name_en in ITEMS:
        items[slug], _ = item_model.objects.update_or_create(
            slug=slug,
            defaults={
                "code": code,
                "name": name,
                "name_en": name_en,
                "category": categories[category],
            },
        )
    code, name, name_en, description = GOLD
    plan, _ = plan_model.objects.update_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "description": description}
    )
    for order, row in enumerate(GOLD_ENTITLEMENTS, start=1):
        slug, ent_code, ent_name, quantity, unit, period, site_kind, note = row
        entitlement_model.objects.update_or_create(
            plan=plan,
            code=ent_code,
            defaults={
                "item": items[slug],
                "name": ent_name,
                "quantity": quantity,
                "unit": unit,
                "period": period,
                "site_kind": site_kind,
                "note": note,
                "order": order,
            },
        )


def unload(apps) -> None:
    apps.get_model("catalog", "Entitlement").objects.filter(plan__code=GOLD[0]).delete()
    apps.get_model("catalog", "Plan").objects.filter(code=GOLD[0]).delete()
    apps.get_model("catalog", "ServiceItem").objects.all().delete()
    apps.get_model("catalog", "ServiceCategory").objects.all().delete()

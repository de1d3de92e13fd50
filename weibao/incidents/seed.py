"""The FLT-2 criteria as classification rules (ALM-3), loaded by a migration and then edited
as data: (name, order, condition, level, site kinds, asset categories, inhibits, the FLT-2
criterion's text)."""

from __future__ import annotations

FRONT_END = ["camera", "sensor", "fsu", "nvr", "mixer", "amplifier", "optical_converter"]
CENTERS = ["monitoring_center", "core", "aggregation", "end_office"]

RULES = [
    ("监控中心全部前端设备不通", 10, "all_front_end_down", "L1", ["monitoring_center"],
     FRONT_END, True, "整个网络数据与各个前端设备不通"),
    ("部分端局与监控中心不通", 20, "end_offices_cut_off", "L2", CENTERS, [], False,
     "部分前端设备因系统软件服务故障，部分端局不能与监控中心通讯"),
    ("摄像机故障", 30, "device_category", "L3", [], ["camera"], False, "摄像机故障"),
    ("传感器故障", 31, "device_category", "L3", [], ["sensor"], False, "传感器故障"),
    ("外设故障（调音台、功放）", 32, "device_category", "L3", [], ["mixer", "amplifier"], False,
     "外设故障，如调音台或功放故障"),
    ("告警自带级别（B 接口、Zabbix）", 40, "alarm_level", "", [], [], False, ""),
    ("其他告警", 90, "any", "L3", [], [], False, ""),
]  # fmt: skip


def load(apps, schema_editor=None) -> None:
    rule = apps.get_model("incidents", "ClassificationRule")
    criterion = apps.get_model("tickets", "ClassificationCriterion")
    for name, order, condition, level, kinds, categories, inhibits, text in RULES:
        rule.objects.update_or_create(
            name=name,
            defaults={
                "order": order, "condition": condition, "level": level, "site_kinds": kinds,
                "categories": categories, "inhibits": inhibits,
                "criterion": criterion.objects.filter(scheme=3, text=text).first()
                if text else None,
            },
        )  # fmt: skip


def unload(apps, schema_editor=None) -> None:
    apps.get_model("incidents", "ClassificationRule").objects.filter(
        name__in=[r[0] for r in RULES]
    ).delete()

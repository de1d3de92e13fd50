"""Equipment categories of AST-2, loaded by a migration and then edited as data."""

from __future__ import annotations

# code, name, name_en, third party (ESC-4)
CATEGORIES = [
    ("server_center", "中心服务器", "Center server", True),
    ("server_access", "接入服务器", "Access server", True),
    ("server_forwarding", "转发服务器", "Forwarding server", True),
    ("server_storage", "存储服务器", "Storage server", True),
    ("router", "路由器", "Router", True),
    ("switch", "交换机", "Switch", True),
    ("firewall", "防火墙", "Firewall", True),
    ("optical_converter", "光端机/光电转换器", "Optical converter", False),
    ("fsu", "FSU/采集器", "FSU / collector", False),
    ("sensor", "传感器", "Sensor", False),
    ("camera", "摄像机", "Camera", False),
    ("nvr", "硬盘录像机", "NVR", False),
    ("mixer", "调音台", "Mixer", False),
    ("amplifier", "功放", "Amplifier", False),
    ("ups", "UPS 电源", "UPS", True),
    ("precision_ac", "精密空调", "Precision air-conditioner", True),
]


def load(apps) -> None:
    model = apps.get_model("assets", "AssetCategory")
    for order, (code, name, name_en, third_party) in enumerate(CATEGORIES, start=1):
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_third_party": third_party,
                "order": order,
            },
        )


def unload(apps) -> None:
    apps.get_model("assets", "AssetCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES]
    ).delete()

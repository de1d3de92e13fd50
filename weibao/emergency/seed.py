"""The ten events of 表 17 (系统需要应急处理的事件列表, §1.1.9.6) as seed rows (EMP-2), with
ranked alternative plans drawn from the emergency measures of §1.1.9.5.

The first seven columns are copied from the table (its words, with full-width punctuation;
`source_name` keeps the table's own event name where the register uses a clearer one). The
alternatives are ours: the table's measure and the IT measures the plan lists for
infrastructure, network and host systems (电力切换、基础设施修复；备品备件替换、配置恢复、
临时连接、备用线路和线路修复；启用双机热备主机中的备用主机、原厂商硬件维修、系统恢复、
应用移植、数据备份和恢复), in the order they should be tried.
"""

from __future__ import annotations

# code, name, 表 17 name, 涉及资产, 事件影响, 发生概率, 故障级别, 防范措施, 应急措施, alternatives
# alternative: (title, steps, minutes to recover or None)
EVENTS = [
    ("virus", "病毒攻击", "病毒攻击", "服务器、网络系统", "业务受到影响", "high", 1,
     "安装防病毒软件并定期升级；加强内部介质管理；数据备份；设定VLAN访问控制", "杀病毒", [
        ("杀病毒", "以 VLAN 访问控制隔离受感染的服务器和网段；用升级到最新病毒库的防病毒软件"
         "查杀；确认清除后恢复连接并观察。", 120),
        ("数据备份和恢复", "查杀无效或数据受损时，重装系统，从最近一次未感染的备份恢复应用和"
         "数据。", 240),
        ("启用双机热备主机中的备用主机", "主用主机无法及时清除病毒时，切换到未感染的备用主机"
         "继续提供服务，再处理主用主机。", 30),
    ]),
    ("network_device", "网络设备故障", "网络设备故障",
     "核心交换机、汇聚交换机、接入交换机、光电转换器", "网络用户无法工作", "high", 1,
     "日常检查；核心交换机备件；低一级交换机备机；光电装转器备品、双机热备",
     "设备更换或替换损坏模块", [
        ("设备更换或替换损坏模块", "启用双机热备的备用设备，或以核心交换机备件、光电转换器"
         "备品更换故障设备/模块。", 60),
        ("配置恢复", "设备更换后或配置丢失时，用最近备份的配置文件恢复设备配置并验证链路。",
         60),
        ("临时连接", "备件未到时，以低一级交换机备机临时连接，优先恢复监控中心与核心机房的"
         "通信。", 90),
    ]),
    ("firewall", "防火墙故障", "防火墙不能正常工作", "防火墙",
     "与外部的连接失效；安全访问控制失效", "high", 1,
     "日常检查；低一级防火墙备机；双机热备", "设备更换；策略配置恢复", [
        ("设备更换", "切换到双机热备的备用防火墙；无热备时换上低一级防火墙备机。", 60),
        ("策略配置恢复", "用备份的策略配置恢复防火墙，核对访问控制策略后恢复外部连接。", 60),
    ]),
    ("sabotage", "人为破坏", "人为破坏",
     "核心交换机、重点服务器、核心数据、备份介质、传输介质", "业务中断，数据破坏，影响较大",
     "low", 1, "网络、线路、主机、应用等事件追踪", "人为破坏后恢复", [
        ("人为破坏后恢复", "保护现场并报警；以备品备件替换受损设备，恢复传输介质。", 240),
        ("数据备份和恢复", "核心数据被破坏时，从异地备份恢复，并核对备份介质是否完好。", 480),
    ]),
    ("disaster", "灾害", "灾难", "核心交换机、重点服务器、机房基础设施",
     "系统大面积破坏，业务中断。", "very_low", 1, "建立异地数据备份中心",
     "使用备机，应用和数据恢复。", [
        ("使用备机，应用和数据恢复", "在未受灾的机房启用备机，从异地数据备份中心恢复应用和"
         "数据。", 1440),
        ("应用移植", "原机房短期无法恢复时，将应用移植到异地备份中心运行。", 2880),
        ("电力切换、基础设施修复", "切换到备用电源，组织修复机房基础设施后迁回。", None),
    ]),
    ("line", "线路故障", "线路故障", "核心光缆", "网络无法使用", "very_low", 1, "备用线路",
     "切换到备份链路商", [
        ("切换到备份链路", "将业务切换到备份链路运营商的备用线路，确认监控中心与各机房通信"
         "恢复。", 30),
        ("备用线路和线路修复", "通知线路运营商抢修核心光缆，修复后切回主用线路。", None),
    ]),
    ("intrusion", "网络入侵", "网络入侵", "网络、重点服务器", "业务数据受到影响", "medium", 2,
     "入侵检测、漏洞修补、内部管理、应用和数据、日常检查", "查看日志；应用和数据恢复", [
        ("查看日志", "查看入侵检测、防火墙和主机日志，定位入侵途径并阻断，修补漏洞。", 120),
        ("应用和数据恢复", "应用或数据被篡改时，从备份恢复并修改相关口令。", 240),
    ]),
    ("host", "主机故障", "主机故障", "重点服务器、硬盘/阵列卡", "应用中断，数据破坏",
     "medium", 2, "日常检查；备机/备件；系统和应用备份", "硬件更换；应用和数据恢复", [
        ("启用双机热备主机中的备用主机", "切换到备用主机，确认平台服务恢复。", 30),
        ("硬件更换", "以备机/备件更换故障硬盘、阵列卡等部件。", 120),
        ("应用和数据恢复", "系统或数据损坏时，从系统和应用备份恢复。", 240),
        ("原厂商硬件维修", "无备件时联系原厂商硬件维修（第三方保修）。", None),
    ]),
    ("software", "软件故障", "软件故障", "管理软件", "无法监控网络和安全系统", "low", 3,
     "系统备份，配置文件备份", "软件重新安装和数据恢复", [
        ("软件重新安装和数据恢复", "重新安装管理软件，用配置文件备份和数据备份恢复。", 120),
        ("系统恢复", "从系统备份整体还原服务器系统。", 240),
    ]),
    ("power", "电源（UPS）故障", "供电故障", "UPS", "所有机房内设备供电", "low", 3,
     "做好日常检查；定期放电；及时更换故障电池", "临时使用备用电源", [
        ("临时使用备用电源", "切换到备用电源（发电机或备用 UPS）为机房设备供电。", 30),
        ("电力切换", "有双路电源进线时切换到另一路市电，UPS 转旁路后联系厂商维修。", 30),
    ]),
]  # fmt: skip


def load(apps) -> None:
    """Create the standard register rows that are not there yet (idempotent)."""
    event_model = apps.get_model("emergency", "EmergencyEvent")
    alternative_model = apps.get_model("emergency", "AlternativePlan")
    for order, row in enumerate(EVENTS, start=1):
        code, name, source, assets, impact, probability, level, prevention, measures, alts = row
        event, created = event_model.objects.get_or_create(
            customer=None,
            code=code,
            defaults={
                "name": name,
                "source_name": source,
                "assets_involved": assets,
                "impact": impact,
                "probability": probability,
                "level": level,
                "prevention": prevention,
                "emergency_measures": measures,
                "order": order,
            },
        )
        if created:
            alternative_model.objects.bulk_create(
                alternative_model(event=event, rank=rank, title=title, steps=steps,
                                  target_minutes=minutes)
                for rank, (title, steps, minutes) in enumerate(alts, start=1)
            )  # fmt: skip


def unload(apps) -> None:
    apps.get_model("emergency", "EmergencyEvent").objects.filter(
        customer__isnull=True, code__in=[row[0] for row in EVENTS]
    ).delete()

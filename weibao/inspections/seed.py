"""Default checklist templates (INS-2), loaded by a data migration and then edited as data.

Every inspection has two parts (§1.3.1.2): the *system check* (系统检查), aimed at the faults
the customer saw before and covering software and hardware, and the *general check* (常规检查):
how the equipment runs, the customer's maintenance needs, and advice.
"""

from __future__ import annotations

S, G = "system", "general"

# code, name, site kind ("" = every kind), asset category code (None = site-level), items
# item: (section, text, guidance, value label)
TEMPLATES = [
    ("common", "通用检查项", "", None, [
        (S, "上次巡检及近期故障记录中的问题是否已彻底解决",
         "查阅客户档案中的工单、维修记录，逐条核对", ""),
        (S, "平台告警记录中无未处理的告警", "查看近一个月的告警及处理情况", ""),
        (S, "设备软件版本及补丁与发布版本一致", "核对版本管理记录", ""),
        (S, "系统时间与时钟同步正常", "各服务器、FSU、NVR 时间偏差不超过 1 分钟", ""),
        (G, "设备运行状态正常（指示灯、风扇、噪声、温度）", "目视、耳听、手感检查", ""),
        (G, "机房环境正常（温湿度、清洁、漏水、鼠害）", "温度 15–28 ℃，湿度 30–70 %",
         "温度（℃）/湿度（%）"),
        (G, "了解客户在维护管理方面的需求", "与值班及维护人员交流，记录需求", ""),
        (G, "向客户提出维护改进建议、传授维护经验", "将建议写入巡检结论", ""),
    ]),
    ("monitoring_center", "监控中心检查项", "monitoring_center", None, [
        (S, "平台各服务（中心、接入、转发、存储）运行正常", "查看服务状态与进程", ""),
        (S, "服务器 CPU、内存、磁盘使用率正常", "磁盘使用率不超过 80 %", "磁盘使用率（%）"),
        (S, "数据库备份及异地备份完成且可恢复", "抽查最近一次备份文件", ""),
        (S, "端局动环数据上报及视频调阅抽查正常", "抽查不少于 5 个端局", "抽查端局数"),
        (S, "双机热备状态正常，可切换", "查看热备心跳与同步状态", ""),
        (G, "值班记录、交接班记录完整", "", ""),
        (G, "应急预案流程图及应急联系人张贴在显著位置", "", ""),
    ]),
    ("core_room", "核心机房检查项", "core", None, [
        (S, "核心交换机、路由器端口及链路状态正常", "查看端口错误包、光功率", ""),
        (S, "防火墙策略及日志正常，配置已备份", "", ""),
        (S, "动环采集数据与现场实测一致", "温湿度、电压抽测对比", ""),
        (G, "机柜、线缆标识清晰整齐", "", ""),
    ]),
    ("aggregation_room", "汇聚机房检查项", "aggregation", None, [
        (S, "汇聚交换机与下联端局链路正常", "", ""),
        (S, "动环采集数据与现场实测一致", "", ""),
        (G, "机柜、线缆标识清晰整齐", "", ""),
    ]),
    ("end_office", "端局机房检查项", "end_office", None, [
        (S, "FSU 与监控中心通信正常，无断站记录", "查看近三个月通信中断记录", ""),
        (S, "动环传感器数据与现场实测一致", "温湿度、水浸、烟感、门磁逐一测试", ""),
        (S, "摄像机图像在平台调阅正常", "", ""),
        (G, "机房门禁、照明、消防设施正常", "", ""),
    ]),
    ("front_end", "前端设备检查项", "front_end", None, [
        (S, "前端设备全面测试：图像清晰、云台及变焦控制正常", "", ""),
        (S, "前端供电、防雷及接地正常", "", "接地电阻（Ω）"),
        (G, "设备外观、安装支架及防护罩完好", "", ""),
    ]),
    ("ups", "UPS 电源检查项", "", "ups", [
        (S, "UPS 输入、输出电压正常", "", "输出电压（V）"),
        (S, "电池组电压及内阻正常，无鼓包漏液", "", "电池组电压（V）"),
        (S, "后备时间不少于 1 小时（查阅最近一次放电记录）", "", "后备时间（分钟）"),
        (G, "UPS 告警记录及运行环境正常", "", ""),
    ]),
    ("precision_ac", "精密空调检查项", "", "precision_ac", [
        (S, "回风温湿度及设定值正常", "", "回风温度（℃）"),
        (G, "滤网清洁、冷凝水排水畅通", "", ""),
    ]),
    ("servers", "中心服务器检查项", "", "server_center", [
        (S, "硬盘、阵列卡、电源模块状态正常", "查看管理口告警", ""),
        (S, "系统日志无异常错误", "", ""),
    ]),
    ("storage", "存储服务器检查项", "", "server_storage", [
        (S, "存储容量及录像保存天数满足要求", "", "录像保存天数"),
    ]),
    ("switch", "交换机检查项", "", "switch", [
        (S, "端口状态及错误包统计正常，配置已备份", "", ""),
    ]),
    ("firewall", "防火墙检查项", "", "firewall", [
        (S, "防火墙策略、病毒库与特征库为最新，配置已备份", "", ""),
    ]),
    ("fsu", "FSU/采集器检查项", "", "fsu", [
        (S, "FSU 采集数据与实际一致，通信正常", "", ""),
    ]),
    ("nvr", "硬盘录像机检查项", "", "nvr", [
        (S, "录像完整性抽查（近 7 天）及硬盘状态正常", "", ""),
    ]),
    ("camera", "摄像机检查项", "", "camera", [
        (S, "图像清晰、无遮挡，夜视正常", "", ""),
    ]),
]  # fmt: skip


def load(apps) -> None:
    """Create the default templates that are not there yet (idempotent)."""
    template_model = apps.get_model("inspections", "ChecklistTemplate")
    item_model = apps.get_model("inspections", "ChecklistItem")
    category_model = apps.get_model("assets", "AssetCategory")
    categories = {c.code: c for c in category_model.objects.all()}
    for order, (code, name, site_kind, category, items) in enumerate(TEMPLATES, start=1):
        if category is not None and category not in categories:
            continue
        template, created = template_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "site_kind": site_kind,
                "asset_category": categories.get(category) if category else None,
                "order": order,
            },
        )
        if not created:
            continue
        item_model.objects.bulk_create(
            item_model(
                template=template,
                section=section,
                order=i,
                text=text,
                guidance=guidance,
                value_label=value_label,
            )
            for i, (section, text, guidance, value_label) in enumerate(items, start=1)
        )


def unload(apps) -> None:
    apps.get_model("inspections", "ChecklistTemplate").objects.filter(
        code__in=[t[0] for t in TEMPLATES]
    ).delete()

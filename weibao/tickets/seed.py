"""FLT-2 (three-level scheme) and 表 15 (four-level scheme) classification criteria, and the
resolution causes of TKT-4 (with the exclusion causes of EXC-1)."""

CRITERIA = [
    # scheme, level, category, text
    (3, "L1", "监控中心网管", "整个系统瘫痪，值班人员不能看到任何数据"),
    (3, "L1", "监控中心网管", "整个网络数据与各个前端设备不通"),
    (3, "L1", "硬件设备", "服务器由于硬件原因等不能启动，整个系统瘫痪"),
    (3, "L1", "硬件设备", "监控中心关键路由设备故障，整个系统数据不能通讯"),
    (3, "L1", "硬件设备", "传输路由设备故障，导致整个传输路由不通"),
    (3, "L1", "人身安全", "火灾"),
    (3, "L1", "人身安全", "人身伤害"),
    (3, "L1", "运行时长", "中心系统设备瘫痪、停机或系统紊乱，无法正常运行超过 30 分钟"),
    (3, "L2", "网管", "部分前端设备因系统软件服务故障，部分端局不能与监控中心通讯"),
    (3, "L2", "硬件", "中心、接入、转发或存储等服务模块的服务器硬件故障"),
    (3, "L2", "硬件", "监控中心硬件故障，导致部分端局不能通讯"),
    (3, "L2", "硬件", "传输路由设备故障，导致部分路由不通"),
    (3, "L3", "前端", "摄像机故障"),
    (3, "L3", "前端", "外设故障，如调音台或功放故障"),
    (3, "L3", "前端", "无图像或无声音"),
    (3, "L3", "前端", "图像严重马赛克"),
    (3, "L3", "前端", "重要设备误报警"),
    (3, "L3", "前端", "传感器故障"),
    (4, "L1", "表 15", "网络系统不能运行、设备无法启动，给工作造成重大影响"),
    (4, "L2", "表 15", "网络系统性能严重降低、设备运行很不正常，给工作带来较大的影响"),
    (4, "L3", "表 15", "系统性能受损、设备性能下降，影响较小或暂无影响"),
    (4, "L4", "表 15", "产品功能、安装或配置方面需要信息或支持，对客户业务运作几乎无影响"),
]


def load(apps) -> None:
    model = apps.get_model("tickets", "ClassificationCriterion")
    for order, (scheme, level, category, text) in enumerate(CRITERIA, start=1):
        model.objects.update_or_create(
            scheme=scheme, text=text, defaults={"level": level, "category": category,
                                                "order": order},
        )  # fmt: skip
    try:  # the causes arrive with a later migration; tests reload both after a flush
        apps.get_model("tickets", "ResolutionCause")
    except LookupError:
        return
    load_causes(apps)


def unload(apps) -> None:
    apps.get_model("tickets", "ClassificationCriterion").objects.filter(
        text__in=[c[3] for c in CRITERIA]
    ).delete()


# TKT-4 resolution causes; the EXC-1 exclusion causes are marked (code, name, is_exclusion).
CAUSES = [
    ("equipment_fault", "设备故障", False),
    ("software_fault", "软件故障", False),
    ("configuration", "配置问题", False),
    ("transmission_line", "传输线路", False),
    ("power", "供电", False),
    ("environment", "环境", False),
    ("third_party", "第三方", False),
    ("user_operation", "用户操作", False),
    ("accident_disaster", "意外事故或自然灾害（火灾、水灾、风灾、雷击、战争、停电）", True),
    ("negligence_misuse", "疏忽、误用、误操作或恶意行为", True),
    ("unqualified_move", "用户雇佣的非专业人员搬迁", True),
    ("unauthorised_change", "未经授权的维修或改装", True),
    ("improper_use", "使用、环境或维护不当", True),
    ("inferior_material", "使用劣质或有缺陷的第三方材料", True),
    ("foreign_equipment", "非服务方负责的设备引起的故障", True),
    ("third_party_addition", "增删第三方功能、配件或软件", True),
    ("force_majeure", "不可抗力", True),
    ("other_non_provider", "其他非服务方原因", True),
]


def load_causes(apps) -> None:
    model = apps.get_model("tickets", "ResolutionCause")
    for order, (code, name, is_exclusion) in enumerate(CAUSES, start=1):
        model.objects.update_or_create(
            code=code, defaults={"name": name, "is_exclusion": is_exclusion, "order": order}
        )


def unload_causes(apps) -> None:
    apps.get_model("tickets", "ResolutionCause").objects.filter(
        code__in=[c[0] for c in CAUSES]
    ).delete()

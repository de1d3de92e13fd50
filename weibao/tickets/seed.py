"""FLT-2 (three-level scheme) and 表 15 (four-level scheme) classification criteria."""

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


def unload(apps) -> None:
    apps.get_model("tickets", "ClassificationCriterion").objects.filter(
        text__in=[c[3] for c in CRITERIA]
    ).delete()

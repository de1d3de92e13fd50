"""EXC-1's out-of-scope causes (source §1.1.7.2-8 a–j, §1.2.1.2-6), EXC-3's emergency swap, and
the two causes that make a spare loan billable (a damaged loan, an exchange over the quota)."""

CAUSES = [
    # code, name, description
    ("accident", "意外事故和灾害（火灾、水灾、风灾、雷击、战争、断电）",
     "事故或灾难，包括火灾、洪水、风灾、闪电、战争等非人力控制事故或停电事故。"),
    ("negligence", "疏忽、误用、误操作、恶意损坏", "疏忽、误用、误操作或恶意使用。"),
    ("unqualified_move", "由非专业人员搬运",
     "系统被用户所雇佣的不合格人员移动或改变位置。"),
    ("unauthorised_work", "未经授权的维修或改装",
     "未受承保方授权便对系统进行作业、修改或变更，包括偏离承保方对设计、安装或更换的要求。"),
    ("improper_use", "不当使用/环境/维护",
     "客户使用不当、意外、改动，在不适宜的物理或操作环境中使用，或维护不当。"),
    ("faulty_third_party", "使用劣质或有故障的第三方材料",
     "与劣质或有故障的第三方材料、部件或耗材一起使用。"),
    ("foreign_equipment", "承保方不负责的设备引起的故障",
     "不属于承保方负责的设备所引起的故障。"),
    ("third_party_addon", "增减第三方功能/配件/软件",
     "由第三方提供或安装的功能、附件或其它材料、软件被应用于系统，或者从系统中转移出去。"),
    ("force_majeure", "不可抗力", "其他不能预见、不能避免、不能克服的因素。"),
    ("other", "其他非承保方原因", "其它原因，如非承保方的疏忽、误操作或省略而造成的故障。"),
    ("emergency_swap_repair", "紧急抢修中更换部件的维修",
     "应急抢修时更换下来的部件，其维修不属于应急服务的内容（EXC-3）。"),
    ("loan_damaged", "借用备件损坏",
     "借用的备件在客户处损坏，按目录价或议定价赔偿，产权转移给客户（SPX-4）。"),
    ("over_quota_exchange", "超出合同配额的备件更换",
     "超出合同约定配额的备件更换，按实际费用收费。"),
]  # fmt: skip


def load(apps) -> None:
    """Create the causes that are missing; edits made by administrators are kept."""
    cause_model = apps.get_model("billing", "ExclusionCause")
    for order, (code, name, description) in enumerate(CAUSES, start=1):
        cause_model.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order * 10}
        )


def unload(apps) -> None:
    cause_model = apps.get_model("billing", "ExclusionCause")
    cause_model.objects.filter(code__in=[code for code, _n, _d in CAUSES]).delete()

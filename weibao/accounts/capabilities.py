"""What a person may do (PRM-1): capabilities, and the default role × capability matrix.

The matrix is data (`accounts.RoleCapability` rows, seeded from `DEFAULT_MATRIX` and editable
by an administrator); it is read by `User.has_capability` and checked where each action
happens (`weibao.core.permissions.require`, or a workflow move's `capability`). Ownership
("own tickets", "own customers") is a guard of the service, on top of the capability.

Administrators (superusers) hold every capability.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.accounts.choices import Role


class Capability(models.TextChoices):
    # Service desk (TKT, FLT, SLA)
    TICKET_OPEN = "ticket.open", _("受理请求；添加备注和附件")
    TICKET_BACKDATE = "ticket.backdate", _("补录早于合同时限的来电")
    TICKET_CLASSIFY = "ticket.classify", _("定级、改级、更正级别")
    TICKET_WORK = "ticket.work", _("支持流程操作、记录同意、暂停/恢复、解决")
    TICKET_DISPATCH = "ticket.dispatch", _("派工；代工程师记录到场")
    TICKET_CALLBACK = "ticket.callback", _("回访并关闭")
    # Escalation (ESC)
    EMERGENCY_ACTION = "emergency.action", _("完成一级故障应急行动（本角色）")
    EMERGENCY_ANY_ACTION = "emergency.any_action", _("完成任何一级故障应急行动")
    AFTERCARE_WAIVE = "emergency.waive_aftercare", _("免除一级故障善后")
    # Field service (ONS, TRN)
    VISIT_WORK = "visit.work", _("签到/签退、现场文档、培训记录")
    DOCUMENT_SIGN = "document.sign", _("签署文档、批准方案、答复满意度调查")
    DOCUMENT_APPROVE_MAJOR = "document.approve_major", _("批准重大操作")
    # Billing (EXC)
    BILLING_PROPOSE = "billing.propose", _("标记超范围、录入费用")
    BILLING_CONFIRM = "billing.confirm", _("确认超范围与费用")
    BILLING_APPROVE = "billing.approve", _("批准收费清单")
    # Feedback (OTH-5, OTH-6)
    COMPLAINT_RECORD = "complaint.record", _("登记投诉")
    COMPLAINT_HANDLE = "complaint.handle", _("答复、处理投诉")
    COMPLAINT_CONFIRM = "complaint.confirm", _("确认投诉处理结果")
    # Hardware (RMA, SPX, SPS)
    REPAIR_REGISTER = "repair.register", _("登记返修")
    SPARES_OPERATE = "spares.operate", _("返修流转、库存、借用、延期、赔偿、发货")
    SPARES_LONG_EXTENSION = "spares.long_extension", _("批准超过3个月的借用延期")
    SALE_QUOTE = "sale.quote", _("备件销售报价、记录预付款")
    # Inspections, emergency plans (INS, EMP)
    INSPECTION_PLAN = "inspection.plan", _("生成巡检计划、分配巡检")
    EMERGENCY_PLAN_EDIT = "emergency_plan.edit", _("编辑应急预案、记录演练")
    # Reports (ANA)
    REPORT_GENERATE = "report.generate", _("生成运行分析报告")
    REPORT_EDIT = "report.edit", _("编辑报告分析内容")
    REPORT_READ = "report.read", _("查看报告、资料库、档案")
    # Monitoring platform alarms (ALM-1..3)
    ALARM_VIEW = "alarm.view", _("查看告警、告警事件与告警来源状态")
    # Master data and configuration
    MASTER_EDIT = "master.edit", _("客户、站点、设备、联系人（新建/编辑）")
    MASTER_IMPORT = "master.import", _("Excel 导入主数据")
    CONFIG_EDIT = "config.edit", _("合同、SLA 策略、目录与价格、日历、通知渠道、用户与角色")


C = Capability
R = Role

_PROVIDER_READ = {C.REPORT_READ}
# The desk and the field watch the monitoring platform's alarms (the alarm console).
_ALARMS = {C.ALARM_VIEW}

DEFAULT_MATRIX: dict[str, frozenset[str]] = {
    # The agent owns L1 actions of its own (notify the leadership, root-cause analysis).
    R.SUPPORT_AGENT: frozenset({
        C.TICKET_OPEN, C.TICKET_CLASSIFY, C.TICKET_WORK, C.TICKET_CALLBACK,
        C.COMPLAINT_RECORD, C.REPAIR_REGISTER, C.EMERGENCY_ACTION, *_ALARMS, *_PROVIDER_READ,
    }),
    R.ENGINEER: frozenset({
        C.TICKET_OPEN, C.TICKET_CLASSIFY, C.TICKET_WORK, C.VISIT_WORK, C.BILLING_PROPOSE,
        C.REPORT_EDIT, C.EMERGENCY_ACTION, *_ALARMS, *_PROVIDER_READ,
    }),
    # Supervises the desk: may log a call older than the contract's late-log bound (TKT-1).
    R.MAINTENANCE_MANAGER: frozenset({
        C.TICKET_OPEN, C.TICKET_BACKDATE, C.TICKET_CLASSIFY, C.TICKET_WORK, C.TICKET_DISPATCH,
        C.EMERGENCY_ACTION, C.EMERGENCY_ANY_ACTION, C.AFTERCARE_WAIVE, C.BILLING_CONFIRM,
        C.SPARES_LONG_EXTENSION, C.INSPECTION_PLAN, C.EMERGENCY_PLAN_EDIT,
        C.REPORT_GENERATE, C.REPORT_EDIT, *_ALARMS, *_PROVIDER_READ,
    }),
    # Dispatches in L1 (the service layer checks the level).
    R.SERVICE_OFFICE_MANAGER: frozenset({
        C.EMERGENCY_ACTION, C.TICKET_DISPATCH, *_ALARMS, *_PROVIDER_READ,
    }),
    R.SUBCENTER_EXPERT: frozenset({C.EMERGENCY_ACTION, *_ALARMS, *_PROVIDER_READ}),
    R.CENTER_HEAD: frozenset({
        C.EMERGENCY_ACTION, C.INSPECTION_PLAN, C.EMERGENCY_PLAN_EDIT, *_ALARMS, *_PROVIDER_READ,
    }),
    R.SERVICE_CENTER_GM: frozenset({C.EMERGENCY_ACTION, *_ALARMS, *_PROVIDER_READ}),
    R.ACCOUNT_MANAGER: frozenset({
        C.TICKET_CALLBACK, C.COMPLAINT_HANDLE, C.SALE_QUOTE, C.REPORT_GENERATE, C.REPORT_EDIT,
        C.MASTER_EDIT, *_ALARMS, *_PROVIDER_READ,
    }),
    # Runs spares and repairs (§2.1), so it bills what a repair or a loan costs the customer.
    R.SPARE_KEEPER: frozenset({
        C.REPAIR_REGISTER, C.SPARES_OPERATE, C.SALE_QUOTE, C.BILLING_PROPOSE, *_PROVIDER_READ,
    }),
    R.CUSTOMER_STAFF: frozenset({
        C.TICKET_OPEN, C.DOCUMENT_SIGN, C.COMPLAINT_RECORD, C.COMPLAINT_CONFIRM,
        C.REPAIR_REGISTER, C.REPORT_READ,
    }),
    R.CUSTOMER_LEADER: frozenset({
        C.TICKET_OPEN, C.DOCUMENT_SIGN, C.DOCUMENT_APPROVE_MAJOR, C.BILLING_APPROVE,
        C.COMPLAINT_RECORD, C.COMPLAINT_CONFIRM, C.REPORT_READ, C.ALARM_VIEW,
    }),
}  # fmt: skip

# Capabilities a customer's user can hold at all; a provider-only capability granted to a
# customer role by mistake is ignored (customers act only on their own organisation).
CUSTOMER_CAPABILITIES = frozenset({
    C.TICKET_OPEN, C.DOCUMENT_SIGN, C.DOCUMENT_APPROVE_MAJOR, C.BILLING_APPROVE,
    C.COMPLAINT_RECORD, C.COMPLAINT_CONFIRM, C.REPAIR_REGISTER, C.REPORT_READ, C.ALARM_VIEW,
})  # fmt: skip

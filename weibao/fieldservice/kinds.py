"""The field-service documents (ONS-2..4, ESC-3, TRN-1) as data. `FieldserviceConfig.ready()`
registers `ALL` with the documents app and wires the on-signed hook: signing an L1 aftercare
document completes its aftercare action (`services.documents.complete_aftercare`).

This module imports no service of its own app (no import cycle)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.documents import kinds
from weibao.fieldservice.choices import MajorOperation, PlanExecutor

SERVICE_APPLICATION = "service_application"
TECHNICAL_PLAN = "technical_plan"
MAJOR_OPERATION = "major_operation"
SERVICE_REPORT = "service_report"
L1_OBSERVATION = "l1_observation"
ROOT_CAUSE = "root_cause"
LEADERSHIP_DEBRIEF = "leadership_debrief"
TRAINING_RECORD = "training_record"

# Which L1 aftercare action (ESC-3) a signed document completes.
AFTERCARE_ACTIONS = {
    L1_OBSERVATION: "onsite_observation",
    SERVICE_REPORT: "signed_service_report",
    ROOT_CAUSE: "root_cause_analysis",
    LEADERSHIP_DEBRIEF: "leadership_debrief",
}

# Documents an engineer files on a visit, in the order of the work; L1 adds the aftercare.
VISIT_KINDS = (SERVICE_APPLICATION, TECHNICAL_PLAN, MAJOR_OPERATION, SERVICE_REPORT)
L1_KINDS = (L1_OBSERVATION, ROOT_CAUSE, LEADERSHIP_DEBRIEF)

STAFF = ("responsible", "maintenance", "duty")
LINE = {"multiline": False}


SERVICE_APPLICATION_KIND = kinds.define(
    SERVICE_APPLICATION,
    label=_("技术服务申请报告"),
    template="fieldservice/pdf/document.html",
    signer_roles=("responsible",),
    fields=[
        ("request", _("服务请求 / 故障现象"), True),
        ("planned_work", _("拟开展的工作"), True),
        ("arrived_at", _("到场时间"), False, LINE),
        ("tools_spares", _("携带的工具、资料和备件"), False),
    ],
)

TECHNICAL_PLAN_KIND = kinds.define(
    TECHNICAL_PLAN,
    label=_("技术方案"),
    template="fieldservice/pdf/document.html",
    signer_roles=("responsible", "om_department", "leader"),
    fields=[
        ("plan", _("方案内容"), True),
        ("risks", _("风险及回退措施"), False),
        ("executed_by", _("执行方"), True, {"choices": PlanExecutor.choices}),
        ("major_operation", _("涉及重大操作"), True, {"choices": MajorOperation.choices}),
        ("planned_duration", _("预计时长"), False, LINE),
    ],
)

MAJOR_OPERATION_KIND = kinds.define(
    MAJOR_OPERATION,
    label=_("重大操作审批"),
    template="fieldservice/pdf/document.html",
    signer_roles=("om_department",),
    # ONS-3: approved by the customer (a customer leader's account), not on the engineer's phone.
    sign_capability=Capability.DOCUMENT_APPROVE_MAJOR,
    witness_capability=None,
    fields=[
        ("operation", _("操作"), True,
         {"choices": [c for c in MajorOperation.choices if c[0] != MajorOperation.NONE]}),
        ("reason", _("原因"), True),
        ("impact", _("影响范围和时长"), True),
        ("fallback", _("回退方案"), False),
    ],
)  # fmt: skip

SERVICE_REPORT_KIND = kinds.define(
    SERVICE_REPORT,
    label=_("技术服务报告"),
    template="fieldservice/pdf/document.html",
    signer_roles=STAFF,
    fields=[
        ("phenomenon", _("故障现象"), True),
        ("cause", _("故障原因"), True),
        ("actions", _("处理过程"), True),
        ("result", _("处理结果"), True),
        ("prevention", _("预防建议"), True),
        ("parts_used", _("使用备件"), False),
    ],
)

L1_OBSERVATION_KIND = kinds.define(
    L1_OBSERVATION,
    label=_("现场观察记录"),
    template="fieldservice/pdf/document.html",
    signer_roles=STAFF,
    fields=[
        ("observed_from", _("观察开始"), True, LINE),
        ("observed_until", _("观察结束"), True, LINE),
        ("observations", _("运行情况"), True),
        ("conclusion", _("结论"), True),
    ],
)

ROOT_CAUSE_KIND = kinds.define(
    ROOT_CAUSE,
    label=_("故障原因分析"),
    template="fieldservice/pdf/document.html",
    signer_roles=("responsible", "leader"),
    fields=[
        ("cause", _("故障原因"), True),
        ("analysis", _("分析过程与依据"), True),
        ("corrective", _("整改措施"), True),
        ("organised_by", _("组织单位"), False, LINE),
    ],
)

LEADERSHIP_DEBRIEF_KIND = kinds.define(
    LEADERSHIP_DEBRIEF,
    label=_("领导汇报记录"),
    template="fieldservice/pdf/document.html",
    signer_roles=("leader",),
    fields=[
        ("cause", _("故障原因"), True),
        ("result", _("处理结果"), True),
        ("method", _("处理方法"), True),
        ("attendees", _("参加人员"), False),
    ],
)

TRAINING_RECORD_KIND = kinds.define(
    TRAINING_RECORD,
    label=_("培训记录"),
    template="fieldservice/pdf/document.html",
    signer_roles=("maintenance", "responsible", "leader"),
    fields=[
        ("topic", _("培训主题"), True, LINE),
        ("method", _("培训方式"), True, LINE),
        ("trainees", _("受训人员"), True),
        ("time", _("培训时间"), True, LINE),
        ("duration", _("时长"), True, LINE),
        ("trainer", _("培训讲师"), False, LINE),
        ("provider_cost", _("服务商承担费用（元）"), False, LINE),
        ("customer_cost", _("客户承担费用（元）"), False, LINE),
        ("notes", _("备注"), False),
    ],
)


ALL = (
    SERVICE_APPLICATION_KIND, TECHNICAL_PLAN_KIND, MAJOR_OPERATION_KIND, SERVICE_REPORT_KIND,
    L1_OBSERVATION_KIND, ROOT_CAUSE_KIND, LEADERSHIP_DEBRIEF_KIND, TRAINING_RECORD_KIND,
)  # fmt: skip

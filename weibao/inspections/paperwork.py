"""The inspection's signed documents (INS-2, INS-3), kept by the documents app: the
inspection application report (巡检申请报告) handed over on arrival, and the inspection report
(巡检报告) signed by the customer's responsible person and filed with their O&M department."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.core.audit import record_event
from weibao.core.events import event_text
from weibao.inspections.choices import CheckOutcome, CheckSection, InspectionEvent
from weibao.tenancy.models import ContactRole

APPLICATION = "inspection_application"
REPORT = "inspection_report"


def register_kinds() -> None:
    """Register both kinds with the documents app (from `InspectionsConfig.ready`)."""
    from weibao.documents import kinds

    kinds.register(
        APPLICATION,
        label=gettext_lazy("巡检申请报告"),
        template="inspections/pdf/application.html",
        signer_roles=(ContactRole.RESPONSIBLE, ContactRole.MAINTENANCE, ContactRole.DUTY),
        fields=[
            ("visit", gettext_lazy("巡检"), True, {"multiline": False}),
            ("engineer", gettext_lazy("巡检工程师"), True, {"multiline": False}),
            ("arrived_at", gettext_lazy("到场时间"), True, {"multiline": False}),
            ("scope", gettext_lazy("巡检范围"), True),
            ("items", gettext_lazy("巡检项目"), True),
            ("request", gettext_lazy("申请事项"), True),
        ],
    )
    kinds.register(
        REPORT,
        label=gettext_lazy("巡检报告"),
        template="inspections/pdf/report.html",
        signer_roles=(ContactRole.RESPONSIBLE,),
        fields=[
            ("visit", gettext_lazy("巡检"), True, {"multiline": False}),
            ("engineer", gettext_lazy("巡检工程师"), True, {"multiline": False}),
            ("period", gettext_lazy("巡检时间"), True, {"multiline": False}),
            ("result", gettext_lazy("检查结果"), True),
            ("findings", gettext_lazy("发现的问题及处理"), False),
            ("advice", gettext_lazy("结论与建议"), False),
            ("config_change", gettext_lazy("配置更改"), False),
            ("filed_with", gettext_lazy("报送备案"), False),
        ],
        on_signed=report_signed,
    )


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def file_application(visit, *, actor):
    """Create the application report for the visit and ask the customer to sign it."""
    from weibao.documents import selectors, services

    existing = selectors.documents_of(visit).filter(kind=APPLICATION).first()
    if existing is not None:
        return existing
    checks = list(visit.checks.values_list("section", flat=True))
    doc = services.create_document(
        kind=APPLICATION,
        title=_("%(site)s %(title)s 巡检申请报告")
        % {"site": visit.site.name, "title": visit.title},
        customer=visit.customer,
        site=visit.site,
        subject=visit,
        actor=actor,
        data={
            "visit": f"{visit.planned_date:%Y-%m-%d} {visit.title}",
            "engineer": str(visit.engineer or actor),
            "arrived_at": _local(visit.started_at),
            "scope": f"{visit.site.name}（{visit.site.get_kind_display()}，{visit.site.address}）",
            "items": _("系统检查 %(system)s 项；常规检查 %(general)s 项")
            % {
                "system": checks.count(CheckSection.SYSTEM),
                "general": checks.count(CheckSection.GENERAL),
            },
            "request": _(
                "我司巡检人员已到达现场，申请按巡检报告中的检查项目对设备逐项检查测试，"
                "巡检过程分为系统检查和常规检查。请客户同意。"
            ),
        },
    )
    services.request_signature(doc, actor=actor)
    return doc


def file_report(visit, *, actor):
    """Create the inspection report with every recorded item and ask the customer's responsible
    person to sign it."""
    from weibao.documents import selectors, services

    existing = selectors.documents_of(visit).filter(kind=REPORT).first()
    if existing is not None:
        return existing
    checks = list(visit.checks.select_related("ticket", "asset"))
    labels = dict(CheckOutcome.choices)
    failed = [c for c in checks if c.outcome == CheckOutcome.FAIL]
    counts = {o: sum(1 for c in checks if c.outcome == o) for o in CheckOutcome.values}
    om = visit.customer.contacts.filter(role=ContactRole.OM_DEPARTMENT)
    doc = services.create_document(
        kind=REPORT,
        title=_("%(site)s %(title)s 巡检报告") % {"site": visit.site.name, "title": visit.title},
        customer=visit.customer,
        site=visit.site,
        subject=visit,
        actor=actor,
        data={
            "visit": f"{visit.planned_date:%Y-%m-%d} {visit.title}",
            "engineer": str(visit.engineer or actor),
            "period": f"{_local(visit.started_at)} — {_local(visit.completed_at)}",
            "result": _("正常 %(pass)s 项，异常 %(fail)s 项，不适用 %(na)s 项")
            % {"pass": counts["pass"], "fail": counts["fail"], "na": counts["na"]},
            "findings": "\n".join(
                f"{c.text}：{c.note}"
                + (_("（工单 %(number)s）") % {"number": c.ticket.number} if c.ticket else "")
                for c in failed
            ),
            "advice": visit.summary,
            "config_change": visit.config_change_description if visit.config_changed else "",
            "filed_with": "、".join(f"{c.name} {c.phone}" for c in om) or _("客户运维部门"),
            "checks": [
                {
                    "section": str(CheckSection(c.section).label),
                    "text": c.text,
                    "asset": str(c.asset) if c.asset else "",
                    "outcome": str(labels[c.outcome]),
                    "value": f"{c.value_label} {c.value}".strip() if c.value else "",
                    "note": c.note,
                }
                for c in checks
            ],
        },
    )
    services.request_signature(doc, actor=actor)
    return doc


def report_signed(doc, *, actor) -> None:
    """The customer's responsible person signed: the report is filed with the O&M department
    and the visit's timeline says so."""
    visit = doc.subject
    if visit is None:
        return
    record_event(
        visit,
        kind=InspectionEvent.REPORT_SIGNED,
        actor=actor,
        message=event_text(
            "巡检报告 %(number)s 已由 %(signer)s 签字确认，报送%(om)s备案。",
            number=doc.number,
            signer=doc.signer_name,
            om=doc.data.get("filed_with", ""),
        ),
        data={"document": doc.pk},
    )


def documents_for(visit) -> list:
    from weibao.documents.selectors import documents_of

    return list(documents_of(visit))

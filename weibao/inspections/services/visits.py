"""On site (INS-2, INS-3): arrive with the application report, check item by item (a failed
item opens a ticket), finish with the report the customer signs; configuration changes join
the customer archive."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from weibao.assets.models import Asset, AssetStatus
from weibao.core import clock, uploads
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, field_choice
from weibao.inspections import paperwork
from weibao.inspections.choices import CheckOutcome, InspectionEvent, VisitState
from weibao.inspections.flow import INSPECTION_VISIT_FLOW as FLOW
from weibao.inspections.models import ChecklistItem, CheckResult, InspectionVisit
from weibao.inspections.selectors import visit_counts
from weibao.tickets.choices import Channel, Level, RequestType

#: How a finding reaches the service desk. The engineer reports it from site as a phone
#: report would; a dedicated "inspection" channel would need a new `tickets.Channel` value.
FINDING_CHANNEL = Channel.PHONE
DEFAULT_FINDING_LEVEL = Level.L3


def _locked(visit: InspectionVisit) -> InspectionVisit:
    return InspectionVisit.objects.select_for_update().select_related("site").get(pk=visit.pk)


@transaction.atomic
def start_visit(visit: InspectionVisit, *, actor) -> InspectionVisit:
    """The engineer is on site: the visit starts, its checklist is drawn from the templates
    that fit the site, and the inspection application report goes to the customer."""
    visit = _locked(visit)
    FLOW.check(visit, "start", actor)
    visit.state = VisitState.IN_PROGRESS
    visit.started_at = clock.now()
    if visit.engineer_id is None:
        visit.engineer = actor
    visit.save(update_fields=["state", "started_at", "engineer"])
    count = _draw_checklist(visit)
    record_event(
        visit,
        kind=InspectionEvent.ARRIVED,
        actor=actor,
        message=event_text("工程师到场开始巡检（%(n)s 个检查项），提交巡检申请报告。", n=count),
    )
    paperwork.file_application(visit, actor=actor)
    return visit


def _draw_checklist(visit: InspectionVisit) -> int:
    """Copy the fitting templates' items onto the visit: the site's own items first, then one
    block per category of equipment in service at the site."""
    from weibao.inspections.models import ChecklistTemplate

    if visit.checks.exists():
        return visit.checks.count()
    categories = set(
        Asset.objects.filter(site=visit.site)
        .exclude(status=AssetStatus.RETIRED)
        .values_list("category_id", flat=True)
    )
    templates = ChecklistTemplate.objects.filter(active=True).filter(
        Q(site_kind="") | Q(site_kind=visit.site.kind)
    )
    fitting = [t for t in templates if t.asset_category_id is None] + [
        t for t in templates if t.asset_category_id in categories
    ]
    items = ChecklistItem.objects.filter(template__in=fitting).select_related("template")
    by_template: dict[int, list[ChecklistItem]] = {}
    for item in items.order_by("section", "order", "id"):
        by_template.setdefault(item.template_id, []).append(item)
    rows = []
    for template in fitting:
        for item in by_template.get(template.pk, []):
            rows.append(
                CheckResult(
                    visit=visit,
                    item=item,
                    section=item.section,
                    order=len(rows) + 1,
                    text=item.text,
                    guidance=item.guidance,
                    value_label=item.value_label,
                    asset_category_id=template.asset_category_id,
                )
            )
    CheckResult.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def record_check(
    check: CheckResult,
    *,
    outcome: str,
    actor,
    value: str = "",
    note: str = "",
    photo=None,
    asset: Asset | None = None,
    level: str = "",
) -> CheckResult:
    """Record one item. A failed item opens a fault ticket linked to the visit (once; a later
    edit of the same item keeps its ticket)."""
    visit = _locked(check.visit)
    FLOW.check(visit, "record", actor)
    check = CheckResult.objects.select_for_update().get(pk=check.pk)
    if outcome not in CheckOutcome.values or outcome == CheckOutcome.PENDING:
        raise DomainError(_("请选择检查结果。"), code="outcome_required", field="outcome")
    note, value = (note or "").strip(), (value or "").strip()
    if outcome == CheckOutcome.FAIL and not note:
        raise DomainError(_("请说明异常情况。"), code="note_required", field="note")
    if asset is not None and asset.site_id != visit.site_id:
        raise DomainError(_("设备不在该机房。"), code="wrong_site", field="asset")
    if level and level not in Level.values:
        raise DomainError(_("故障级别无效。"), code="invalid_level", field="level")
    check.outcome, check.value, check.note = outcome, value[:100], note
    check.asset = asset or check.asset
    if photo:
        check.photo = uploads.clean_photo(photo, field="photo")
    check.recorded_at, check.recorded_by = clock.now(), actor
    check.save()
    if outcome == CheckOutcome.FAIL and check.ticket_id is None:
        _open_finding(visit, check, level=level or DEFAULT_FINDING_LEVEL, actor=actor)
    return check


def _open_finding(visit: InspectionVisit, check: CheckResult, *, level: str, actor) -> None:
    from weibao.tickets.services import open_ticket

    reading = f"（{check.value_label or _('读数')}：{check.value}）" if check.value else ""
    ticket = open_ticket(
        customer=visit.customer,
        site=visit.site,
        asset=check.asset,
        channel=FINDING_CHANNEL,
        request_type=RequestType.FAULT,
        level=level,
        fault_phenomenon=_("巡检发现异常（检查项：%(item)s）%(reading)s：%(note)s")
        % {"item": check.text, "reading": reading, "note": check.note},
        reported_at=clock.now(),
        contact_name=actor.get_full_name() or actor.get_username(),
        contact_phone=getattr(actor, "phone", "") or visit.site.duty_phone or "—",
        actor=actor,
    )
    check.ticket = ticket
    check.save(update_fields=["ticket"])
    record_event(
        visit,
        kind=InspectionEvent.FINDING,
        actor=actor,
        message=event_text(
            "巡检发现异常（检查项：%(item)s），已开工单 %(number)s（%(level)s）",
            item=check.text,
            number=ticket.number,
            level=field_choice(ticket, "level"),
        ),
        data={"ticket": ticket.pk, "check": check.pk},
    )
    record_event(
        ticket,
        kind=InspectionEvent.TICKET_FROM_INSPECTION,
        actor=actor,
        message=event_text("由巡检发现：%(visit)s", visit=visit),
        data={"visit": visit.pk},
    )


@transaction.atomic
def complete_visit(
    visit: InspectionVisit,
    *,
    actor,
    summary: str = "",
    config_changed: bool = False,
    config_change_description: str = "",
) -> InspectionVisit:
    """Every item recorded: the visit is done, the inspection report waits for the customer's
    responsible person to sign, and a configuration change joins the site's archive."""
    visit = _locked(visit)
    FLOW.check(visit, "complete", actor)
    description = (config_change_description or "").strip()
    if config_changed and not description:
        raise DomainError(
            _("请说明更改了哪些配置。"),
            code="description_required",
            field="config_change_description",
        )
    visit.state = VisitState.DONE
    visit.completed_at = clock.now()
    visit.summary = (summary or "").strip()
    visit.config_changed = bool(config_changed)
    visit.config_change_description = description if config_changed else ""
    visit.save()
    counts = visit_counts(visit)
    record_event(
        visit,
        kind=InspectionEvent.COMPLETED,
        actor=actor,
        message=event_text(
            "巡检完成：%(pass)s 项正常，%(fail)s 项异常，%(na)s 项不适用。", **counts
        ),
        data=counts,
    )
    report = paperwork.file_report(visit, actor=actor)
    if visit.config_changed:
        record_event(
            visit.site,
            kind="config_change",
            actor=actor,
            message=event_text(
                "巡检中更改配置：%(what)s（巡检报告 %(number)s）",
                what=description,
                number=getattr(report, "number", "—"),
            ),
            data={"visit": visit.pk, "document": getattr(report, "pk", None)},
        )
    return visit

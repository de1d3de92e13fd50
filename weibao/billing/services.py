"""Writes of the billing app: mark work out of scope, prepare a statement's cost lines, and
move the statement between provider and customer (EXC-2). Each runs in one transaction,
writes an event and queues its notifications in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import customer_leaders_or_users, holders_of_role
from weibao.billing import pricing
from weibao.billing.choices import (
    DEFAULT_UNITS,
    EVIDENCE_EXTENSIONS,
    BillingEvent,
    LineKind,
    StatementState,
)
from weibao.billing.flow import STATEMENT_FLOW
from weibao.billing.models import Exclusion, ExclusionCause, Statement, StatementLine
from weibao.core import audit, bounds, clock, permissions, uploads
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, field_choice, with_note
from weibao.notifications.services import notify

MAX_QUANTITY = Decimal("99999999.99")
MAX_UNIT_PRICE = Decimal("9999999999.99")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _require(actor, capability: str, customer_id: int | None) -> None:
    permissions.require(actor, capability, customer_id=customer_id)


def _subject_fields(subject) -> dict:
    scope = subject.archive_scope()
    if not scope.get("customer"):
        raise DomainError(_("该对象不属于任何客户，不能收费。"), code="no_customer")
    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
        "customer_id": scope["customer"],
        "site_id": scope.get("site"),
        "asset_id": scope.get("asset"),
    }


def exclusion_for(subject) -> Exclusion | None:
    """The out-of-scope finding of a ticket or repair, if there is one."""
    return Exclusion.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).first()


def _check_attachment(attachment):
    """The evidence file to store: type, size and content checked, a photo without EXIF."""
    return uploads.check_file(attachment, field="attachment", extensions=EVIDENCE_EXTENSIONS,
                              max_bytes=MAX_EVIDENCE_BYTES)  # fmt: skip


@transaction.atomic
def mark_out_of_scope(
    subject,
    *,
    causes: Iterable[ExclusionCause],
    evidence: str,
    attachment=None,
    actor,
) -> Exclusion:
    """Record that a ticket (or repair) is out of scope (EXC-1/2) with its causes and evidence
    (text and an optional photo or file); the work becomes billable, so a draft statement is
    opened for it at once (`exclusion.statements`)."""
    fields = _subject_fields(subject)
    _require(actor, Capability.BILLING_PROPOSE, fields["customer_id"])
    causes = _causes(causes)
    if not evidence.strip():
        raise DomainError(_("请填写证据说明。"), field="evidence")
    if exclusion_for(subject) is not None:
        raise DomainError(_("已认定为不在承保范围。"), code="already_out_of_scope")
    exclusion = Exclusion(
        **fields,
        evidence=evidence.strip(),
        marked_by=actor,
        marked_at=clock.now(),
    )
    if attachment is not None:
        exclusion.attachment = _check_attachment(attachment)
    exclusion.save()
    exclusion.causes.set(causes)
    names = [cause.name for cause in causes]
    record_event(subject, kind=BillingEvent.OUT_OF_SCOPE, actor=actor,
                 message=event_text("认定不在承保范围：%(causes)s。%(evidence)s", causes=names,
                                    evidence=exclusion.evidence),
                 data={"exclusion": exclusion.pk,
                       "attachment": exclusion.attachment.name or None})  # fmt: skip
    open_statement(subject, actor=actor, exclusion=exclusion)
    return exclusion


def withdrawal_refusal(exclusion: Exclusion) -> DomainError | None:
    """Why the finding can no longer be withdrawn (None: it can): a statement went to the
    customer (`not_draft`) or has cost lines (`has_lines`)."""
    statements = Statement.objects.filter(exclusion=exclusion)
    if statements.exclude(state=StatementState.DRAFT).exists():
        return DomainError(_("收费确认单已发给客户，不能撤销认定。"), code="not_draft")
    if StatementLine.objects.filter(statement__in=statements).exists():
        return DomainError(_("请先删除收费确认单上的费用明细。"), code="has_lines")
    return None


@transaction.atomic
def withdraw_exclusion(subject, *, reason: str, actor) -> None:
    """Undo an out-of-scope finding made by mistake: the subject is in scope again. Only while
    nothing was billed yet — each of its statements a draft without cost lines (those drafts
    go with it); otherwise refused with `has_lines` or `not_draft`, nothing changed."""
    exclusion = exclusion_for(subject)
    if exclusion is None:
        raise DomainError(_("该对象未被认定为不在承保范围。"), code="not_out_of_scope")
    _require(actor, Capability.BILLING_PROPOSE, exclusion.customer_id)
    if not reason.strip():
        raise DomainError(_("请填写撤销认定的原因。"), field="reason")
    exclusion = Exclusion.objects.select_for_update().get(pk=exclusion.pk)
    statements = list(Statement.objects.select_for_update().filter(exclusion=exclusion))
    refusal = withdrawal_refusal(exclusion)
    if refusal is not None:
        raise refusal
    numbers = "、".join(s.number or str(s.pk) for s in statements)
    for statement in statements:
        statement.delete()
    exclusion.delete()
    record_event(subject, kind=BillingEvent.WITHDRAWN, actor=actor,
                 message=event_text("撤销不在承保范围的认定（删除草稿 %(numbers)s）：%(reason)s",
                                    numbers=numbers or "—", reason=reason.strip()))  # fmt: skip


@transaction.atomic
def open_statement(subject, *, actor, exclusion: Exclusion | None = None) -> Statement:
    """A draft statement for billable work: a subject marked out of scope, or a ticket taken
    without a covering contract (`not_covered`)."""
    fields = _subject_fields(subject)
    _require(actor, Capability.BILLING_PROPOSE, fields["customer_id"])
    exclusion = exclusion or exclusion_for(subject)
    if exclusion is None and not getattr(subject, "not_covered", False):
        raise DomainError(
            _("该工作在承保范围内，不能收费；请先认定不在承保范围。"), code="in_scope"
        )
    return _new_statement(subject, fields, exclusion=exclusion, actor=actor)


def _causes(causes: Iterable[ExclusionCause | str]) -> list[ExclusionCause]:
    """The causes named (rows or codes) from the one list; at least one, all active."""
    causes = list(causes)
    codes = [c for c in causes if isinstance(c, str)]
    found = {c.code: c for c in ExclusionCause.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise DomainError(
            _("没有这个原因：%(codes)s") % {"codes": "、".join(unknown)}, field="causes"
        )
    causes = [found[c] if isinstance(c, str) else c for c in causes]
    if not causes:
        raise DomainError(_("请至少选择一个原因。"), field="causes")
    if any(not cause.active for cause in causes):
        raise DomainError(_("所选原因已停用。"), field="causes")
    return causes


@transaction.atomic
def open_billable_statement(
    *,
    source_type: str,
    source_id: int,
    customer,
    causes: Iterable[ExclusionCause | str],
    evidence: str,
    lines: Iterable[dict] = (),
    contract=None,
    site=None,
    asset=None,
    actor,
) -> Statement:
    """Bill work of any source through the one statement and customer approval (EXC-1..3):
    a ticket, a repair (`"repairs.repair"`), a spare loan (`"spares.loan"`) ….

    `source_type` is the source's model as `"app_label.model"`, `source_id` its key; the
    source is marked out of scope for `causes` (rows or codes of billing's one cause list,
    e.g. `"emergency_swap_repair"` for a part swapped in an emergency, EXC-3) with the
    `evidence` — once per source; a later call reuses that finding — and a draft statement
    is opened with the cost `lines` (`add_line`'s keyword arguments: kind, description,
    quantity, unit_price, part_number, unit). The statement then goes the usual way: the
    maintenance manager confirms and sends it, the customer's leader approves or rejects.
    Needs `billing.propose` for the customer; refused as a whole when any line is."""
    permissions.require(actor, Capability.BILLING_PROPOSE, customer_id=customer.pk)
    subject_type = _source_type(source_type)
    source = subject_type.model_class().objects.filter(pk=source_id).first()
    if source is None:
        raise DomainError(_("没有这个对象。"), field="source_id")
    scope = source.archive_scope() if hasattr(source, "archive_scope") else {}
    if scope.get("customer", customer.pk) != customer.pk:
        raise DomainError(_("该对象不属于这个客户。"), field="customer")
    if contract is not None and contract.customer_id != customer.pk:
        raise DomainError(_("合同不属于这个客户。"), field="contract")
    fields = {
        "subject_type": subject_type,
        "subject_id": source.pk,
        "customer_id": customer.pk,
        "site_id": getattr(site, "pk", None) or scope.get("site"),
        "asset_id": getattr(asset, "pk", None) or scope.get("asset"),
    }
    exclusion = exclusion_for(source)
    if exclusion is None:
        causes = _causes(causes)
        if not evidence.strip():
            raise DomainError(_("请填写证据说明。"), field="evidence")
        exclusion = Exclusion.objects.create(
            **fields, evidence=evidence.strip(), marked_by=actor, marked_at=clock.now()
        )
        exclusion.causes.set(causes)
        names = [cause.name for cause in causes]
        record_event(source, kind=BillingEvent.OUT_OF_SCOPE, actor=actor,
                     message=event_text("认定不在承保范围：%(causes)s。%(evidence)s",
                                        causes=names, evidence=exclusion.evidence),
                     data={"exclusion": exclusion.pk})  # fmt: skip
    else:
        _add_causes(source, exclusion, causes, actor=actor)
    statement = _new_statement(source, fields, exclusion=exclusion, actor=actor)
    if contract is not None:
        statement.contract = contract
        statement.save(update_fields=["contract"])
    for line in lines:
        add_line(statement, actor=actor, **line)
    return statement


def _add_causes(source, exclusion: Exclusion, causes, *, actor) -> None:
    """A later finding on the same source (an exchanged loan later damaged) adds its causes
    to the one exclusion, so every statement of the source names why it is billed."""
    named = list(causes)
    if not named:
        return
    known = set(exclusion.causes.values_list("code", flat=True))
    added = [cause for cause in _causes(named) if cause.code not in known]
    if not added:
        return
    exclusion.causes.add(*added)
    record_event(source, kind=BillingEvent.OUT_OF_SCOPE, actor=actor,
                 message=event_text("补充不在承保范围的原因：%(causes)s",
                                    causes=[cause.name for cause in added]),
                 data={"exclusion": exclusion.pk})  # fmt: skip


def _source_type(source_type: str) -> ContentType:
    try:
        app_label, model = source_type.lower().split(".")
        return ContentType.objects.get_by_natural_key(app_label, model)
    except (ValueError, ContentType.DoesNotExist):
        raise DomainError(
            _("无效的对象类型：%(type)s") % {"type": source_type}, field="source_type"
        ) from None


def _new_statement(subject, fields: dict, *, exclusion, actor) -> Statement:
    statement = Statement.objects.create(
        **fields,
        exclusion=exclusion,
        title=_("%(subject)s 收费服务费用确认单") % {"subject": subject},
        prepared_by=actor,
    )
    audit.set_after_create(
        statement, number=f"FY{timezone.localtime(statement.created_at):%y%m%d}-{statement.pk:05d}"
    )
    record_event(statement, kind=BillingEvent.STATEMENT_OPENED, actor=actor,
                 message=event_text("编制收费确认单（%(subject)s）", subject=subject))  # fmt: skip
    return statement


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


def _require_draft(statement: Statement) -> None:
    if statement.state != StatementState.DRAFT:
        raise DomainError(_("只有草稿状态的确认单可以修改费用明细。"), code="not_draft")


@transaction.atomic
def add_line(
    statement: Statement,
    *,
    kind: str,
    description: str,
    quantity,
    unit_price,
    part_number: str = "",
    unit: str = "",
    actor,
) -> StatementLine:
    """Add a cost line to a draft: labour (quantity = hours, unit price = hourly rate), a part
    (at its catalog price, with the part number), travel, or the technical service fee."""
    _require(actor, Capability.BILLING_PROPOSE, statement.customer_id)
    statement = _locked(statement)
    _require_draft(statement)
    if kind not in LineKind.values:
        raise DomainError(_("无效的费用类别。"), field="kind")
    if not description.strip():
        raise DomainError(_("请填写项目说明。"), field="description")
    if kind == LineKind.PART and not part_number.strip():
        raise DomainError(_("备件/材料请填写备件编号。"), field="part_number")
    quantity = pricing.parse_decimal(
        quantity, field="quantity", positive=True, maximum=MAX_QUANTITY
    )
    unit_price = pricing.parse_decimal(unit_price, field="unit_price", maximum=MAX_UNIT_PRICE)
    # The line's amount and the statement's new total must fit what is shown and exported.
    amount = bounds.check_money(pricing.line_amount(quantity, unit_price), "unit_price",
                                bounds.AMOUNT_DIGITS,
                                message=_("金额（数量 × 单价）不能超过 %(max)s 元。"))  # fmt: skip
    bounds.check_money(statement.total + amount, "unit_price", bounds.AMOUNT_DIGITS,
                       message=_("确认单合计不能超过 %(max)s 元。"))  # fmt: skip
    line = StatementLine.objects.create(
        statement=statement,
        position=statement.lines.count() + 1,
        kind=kind,
        description=description.strip(),
        part_number=part_number.strip(),
        quantity=quantity,
        unit=(unit.strip() or str(DEFAULT_UNITS[LineKind(kind)]))[:10],
        unit_price=unit_price,
    )
    message = event_text("添加费用：%(kind)s %(text)s %(qty)s%(unit)s × %(price)s = %(amount)s 元",
        kind=field_choice(line, "kind"), text=line.description, qty=line.quantity,
        unit=line.unit, price=line.unit_price, amount=line.amount)  # fmt: skip
    record_event(statement, kind=BillingEvent.STATEMENT_LINE, actor=actor, message=message)
    return line


@transaction.atomic
def remove_line(line: StatementLine, *, actor) -> None:
    """Remove a cost line from a draft."""
    _require(actor, Capability.BILLING_PROPOSE, line.statement.customer_id)
    statement = _locked(line.statement)
    _require_draft(statement)
    line.delete()
    for position, remaining in enumerate(statement.lines.order_by("position", "id"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])
    record_event(statement, kind=BillingEvent.STATEMENT_LINE, actor=actor,
                 message=event_text("删除费用：%(line)s", line=line))  # fmt: skip


@transaction.atomic
def move_statement(statement: Statement, verb: str, *, actor, note: str = "") -> Statement:
    """Make the move `verb` of `STATEMENT_FLOW` (send, withdraw, approve, reject, revise), or
    raise `MoveRefused` with its code (`wrong_state`: e.g. approving twice; 403
    `permission_denied` without the move's capability). Rejecting needs a reason."""
    statement = _locked(statement)
    move = STATEMENT_FLOW.check(statement, verb, actor)
    note = note.strip()
    if move.needs_note and not note:
        raise DomainError(_("请填写拒绝的原因。"), code="note_required", field="note")
    now = clock.now()
    source = statement.state
    statement.state = move.target
    if verb == "send":
        statement.revision += 1
        statement.sent_at = now
        statement.decided_at, statement.decided_by, statement.decision_note = None, None, ""
    elif verb in ("approve", "reject"):
        statement.decided_at, statement.decided_by, statement.decision_note = now, actor, note
    statement.save()
    record_event(statement, kind=f"statement.{verb}", actor=actor,
                 message=with_note(event_text("%(move)s：%(source)s → %(target)s", move=move.label,
                                              source=StatementState(source),
                                              target=StatementState(statement.state)), note),
                 data={"verb": verb, "total": str(statement.total)})  # fmt: skip
    _notify_move(statement, verb, actor=actor)
    return statement


def approve_statement(statement: Statement, *, actor, note: str = "") -> Statement:
    """The customer agrees to pay the statement."""
    return move_statement(statement, "approve", actor=actor, note=note)


def reject_statement(statement: Statement, *, note: str, actor) -> Statement:
    """The customer refuses the statement, saying why."""
    return move_statement(statement, "reject", actor=actor, note=note)


def send_statement(statement: Statement, *, actor) -> Statement:
    """Send the draft to the customer for approval."""
    return move_statement(statement, "send", actor=actor)


def _notify_move(statement: Statement, verb: str, *, actor) -> None:
    if verb == "send":
        recipients = customer_leaders_or_users(statement.customer_id)  # who approve
        subject = gettext_noop("【费用确认】%(number)s 待您确认：%(total)s 元")
    elif verb in ("approve", "reject"):
        managers = holders_of_role(Role.ACCOUNT_MANAGER, statement.customer_id)
        recipients = [statement.prepared_by, *managers]
        subject = (
            gettext_noop("【费用确认】%(number)s 客户已同意：%(total)s 元")
            if verb == "approve"
            else gettext_noop("【费用确认】%(number)s 客户已拒绝")
        )
    else:
        return
    notify(
        recipients=[r for r in recipients if r is not None and r != actor],
        # worded in each recipient's language by the outbox
        subject=event_text(subject, number=statement.number, total=statement.total),
        body=event_text(
            "%(title)s\n合计：%(total)s 元\n%(note)s",
            title=statement.title,
            total=statement.total,
            note=statement.decision_note,
        ),
        kind=f"statement_{verb}",
        dedupe_key=f"statement:{statement.pk}:{verb}:{statement.revision}",
        customer=statement.customer,
        ref_type="statement",
        ref_id=str(statement.pk),
    )

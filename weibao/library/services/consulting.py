"""Network-change consulting requests (OTH-4): submitted by the customer (or for them by the
provider's desk: `ticket.open`), owned by a provider engineer (assigned by whoever dispatches:
`ticket.dispatch`), moved along `library.flow.CONSULTING_FLOW`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.core import audit, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, with_note
from weibao.core.permissions import require
from weibao.core.workflow import WRONG_STATE, MoveRefused
from weibao.library import selectors
from weibao.library.choices import ConsultingState, LibraryEvent
from weibao.library.flow import CONSULTING_FLOW
from weibao.library.models import ConsultingRequest
from weibao.notifications.services import notify


@transaction.atomic
def submit_consulting(
    *, customer, title: str, description: str, site=None, actor
) -> ConsultingRequest:
    """Open a consulting request (`ticket.open`, a customer's user for its own customer);
    the customer's account manager is told."""
    require(actor, Capability.TICKET_OPEN, customer_id=customer.pk)
    if getattr(actor, "customer_id", None) and actor.customer_id != customer.pk:
        raise DomainError(_("只能为本单位提交咨询。"), field="customer")
    if not title.strip():
        raise DomainError(_("请填写主题。"), field="title")
    if not description.strip():
        raise DomainError(_("请描述改造需求。"), field="description")
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    now = clock.now()
    request = ConsultingRequest.objects.create(
        customer=customer,
        site=site,
        title=title.strip(),
        description=description.strip(),
        submitted_at=now,
        submitted_by=actor,
    )
    audit.set_after_create(request, number=f"ZX{timezone.localtime(now):%y%m%d}-{request.pk:04d}")
    record_event(
        request,
        kind=LibraryEvent.CONSULTING_SUBMITTED,
        actor=actor,
        message=event_text("提交方案咨询"),
    )
    notify(
        recipients=selectors.account_managers(customer.pk),
        subject=event_text("新的网络改造方案咨询：%(title)s", title=request.title),
        body=event_text(
            "%(customer)s 提交了网络改造方案咨询 %(number)s：\n%(text)s",
            customer=customer,
            number=request.number,
            text=request.description,
        ),
        kind="consulting",
        dedupe_key=f"consulting:{request.pk}:submitted",
        customer=customer,
        ref_type="consulting",
        ref_id=str(request.pk),
    )
    return request


@transaction.atomic
def assign_owner(request: ConsultingRequest, *, owner, actor) -> ConsultingRequest:
    """Make a provider engineer the owner of the request (`ticket.dispatch`)."""
    require(actor, Capability.TICKET_DISPATCH, customer_id=request.customer_id)
    request = ConsultingRequest.objects.select_for_update().get(pk=request.pk)
    if owner is None or owner.customer_id or not owner.has_role(Role.ENGINEER):
        raise DomainError(_("负责人必须是服务商的维护工程师。"), field="owner")
    if request.state == ConsultingState.CLOSED:
        raise MoveRefused(_("咨询已关闭。"), code=WRONG_STATE, status=409)
    request.owner = owner
    request.save(update_fields=["owner"])
    record_event(request, kind=LibraryEvent.CONSULTING_OWNER, actor=actor,
                 message=event_text("负责工程师：%(name)s", name=owner))  # fmt: skip
    return request


@transaction.atomic
def move_consulting(
    request: ConsultingRequest, verb: str, *, actor, note: str = "", proposal: str | None = None
) -> ConsultingRequest:
    """Make a move of `CONSULTING_FLOW` (`draft` takes the proposal text); a refused move
    raises `MoveRefused` and changes nothing. Delivering tells the customer."""
    request = ConsultingRequest.objects.select_for_update().get(pk=request.pk)
    move = CONSULTING_FLOW.check(request, verb, actor)
    if verb == "draft" and (proposal is None or not proposal.strip()):
        raise DomainError(_("请填写改造方案。"), field="proposal")
    if move.needs_note and not note.strip():
        raise DomainError(_("请填写原因。"), code="note_required", field="note")
    now = clock.now()
    source = request.state
    request.state = move.target
    fields = ["state"]
    if verb == "draft":
        request.proposal = proposal.strip()
        fields.append("proposal")
        if request.owner_id is None and actor.has_role(Role.ENGINEER):
            request.owner = actor
            fields.append("owner")
    elif verb == "deliver":
        request.delivered_at = now
        fields.append("delivered_at")
    elif move.target == ConsultingState.CLOSED:
        request.closed_at = now
        request.close_note = note.strip()
        fields += ["closed_at", "close_note"]
    request.save(update_fields=fields)
    message = event_text(
        "%(move)s：%(source)s → %(target)s",
        move=move.label,
        source=ConsultingState(source),
        target=ConsultingState(request.state),
    )
    record_event(request, kind=LibraryEvent.CONSULTING_STATE, actor=actor,
                 message=with_note(message, note),
                 data={"verb": verb, "source": source, "target": request.state})  # fmt: skip
    if verb == "deliver":
        _tell_customer(request)
    return request


def _tell_customer(request: ConsultingRequest) -> None:
    submitter = request.submitted_by
    people = [submitter] if submitter is not None and submitter.customer_id else []
    notify(
        recipients=people or selectors.customer_people(request.customer_id),
        subject=event_text("网络改造方案已交付：%(title)s", title=request.title),
        body=event_text(
            "咨询 %(number)s 的改造方案已交付，请登录维保服务台查看。\n\n%(proposal)s",
            number=request.number,
            proposal=request.proposal,
        ),
        kind="consulting",
        dedupe_key=f"consulting:{request.pk}:delivered:{request.delivered_at:%Y%m%d%H%M%S}",
        customer=request.customer,
        ref_type="consulting",
        ref_id=str(request.pk),
    )

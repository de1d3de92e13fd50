"""The life of a complaint (OTH-5) written down: one table of allowed moves.

    open ──respond (first response)──▶ responded ──resolve (resolution notes)──▶ resolved
                                           ▲                                      │
                                           └──decline (customer: not resolved)────┤
                                                                                  ▼
                                                  confirm (customer confirms) ──▶ closed

Who may (PRM-1): the account manager of the complaint's customer responds and resolves
(`complaint.handle`). Only the customer closes a complaint: a user of the customer confirms
or declines in the portal (`complaint.confirm`), or the support center records the customer's
word with how it was given (`complaint.record`, as it records the complaint itself). A
refused move raises the one `weibao.core.workflow.MoveRefused` and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.core import permissions
from weibao.core.workflow import Move, Refusal, Workflow, sources
from weibao.feedback.choices import ComplaintState

S = ComplaintState


def customer_word(complaint, actor) -> Refusal | None:
    """The customer's own answer (`complaint.confirm`), or the support center recording what
    the customer said (`complaint.record`)."""
    if actor is None:
        return None
    capability = (
        Capability.COMPLAINT_CONFIRM
        if getattr(actor, "customer_id", None) is not None
        else Capability.COMPLAINT_RECORD
    )
    denied = permissions.refusal(actor, capability, customer_id=complaint.customer_id)
    if denied is None:
        return None
    return Refusal(denied.code, denied.message, status=403, capability=denied.capability)


COMPLAINT_FLOW = Workflow(
    "complaint",
    state_field="state",
    states=ComplaintState,
    noun=_("投诉"),
    moves=[
        Move("respond", _("首次响应"), sources(S.OPEN), S.RESPONDED,
             capability=Capability.COMPLAINT_HANDLE, button=False),
        Move("resolve", _("处理完成，请客户确认"), sources(S.RESPONDED), S.RESOLVED,
             capability=Capability.COMPLAINT_HANDLE, button=False),
        Move("confirm", _("客户确认，关闭投诉"), sources(S.RESOLVED), S.CLOSED,
             guard=customer_word, button=False),
        Move("decline", _("客户认为未解决"), sources(S.RESOLVED), S.RESPONDED,
             guard=customer_word, button=False),
    ],
)  # fmt: skip

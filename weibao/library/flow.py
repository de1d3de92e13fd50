"""The consulting flow (OTH-4) written down: the moves a network-change request may make.

    submitted ──draft──▶ proposal_drafted ──deliver──▶ proposal_delivered ──close──▶ closed
        │                  ▲   └─draft (edit)                │
        │                  └──────────revise (note)──────────┘
        └──withdraw (note)──▶ closed   (also from proposal_drafted)

Drafting and delivering are the provider's engineers' (`visit.work`); the customer — or the
provider's desk on their behalf — asks for a revision, accepts (close) or withdraws
(`ticket.open`, own customer only). A refused move raises `MoveRefused` and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability as C
from weibao.core.workflow import Move, Refusal, Workflow, sources
from weibao.library.choices import ConsultingState as S


def _has_proposal(request, actor) -> Refusal | None:
    if not request.proposal.strip():
        return Refusal("proposal_required", _("请先填写改造方案再交付。"))
    return None


CONSULTING_FLOW = Workflow(
    "consulting",
    state_field="state",
    states=S,
    noun=_("咨询"),
    moves=[
        Move("draft", _("保存方案"), sources(S.SUBMITTED, S.DRAFTED), S.DRAFTED,
             capability=C.VISIT_WORK, button=False),
        Move("deliver", _("交付方案"), sources(S.DRAFTED), S.DELIVERED, guard=_has_proposal,
             capability=C.VISIT_WORK),
        Move("revise", _("要求修改方案"), sources(S.DELIVERED), S.DRAFTED, needs_note=True,
             capability=C.TICKET_OPEN),
        Move("close", _("确认方案并关闭"), sources(S.DELIVERED), S.CLOSED,
             capability=C.TICKET_OPEN),
        Move("withdraw", _("撤销咨询"), sources(S.SUBMITTED, S.DRAFTED), S.CLOSED,
             needs_note=True, capability=C.TICKET_OPEN),
    ],
)  # fmt: skip

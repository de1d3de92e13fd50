"""The life of a billable statement written down: one table of allowed moves (EXC-2).

    draft ──send (has lines, total > 0)──▶ sent ──approve (customer leader)──▶ approved
      ▲                                     │ └──reject (customer leader, with a reason)──▶ rejected
      └──────────────withdraw───────────────┘                                                │
      └──────────────────────────revise (back to draft)──────────────────────────────────────┘

Who may (PRM-1): the engineer proposes (marks out of scope, writes cost lines, revises a
rejected statement: `billing.propose`); the maintenance manager confirms the costs and sends
them to the customer, or withdraws them (`billing.confirm`); a leader of the statement's
customer approves or rejects (`billing.approve`). A refused move raises the one
`weibao.core.workflow.MoveRefused` and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.billing.choices import StatementState
from weibao.core.workflow import Move, Refusal, Workflow, sources

S = StatementState


def can_send(statement, actor) -> Refusal | None:
    """A statement goes to the customer only with cost lines adding up to more than 0."""
    if not statement.lines.exists():
        return Refusal("no_lines", _("请先添加费用明细。"))
    if statement.total <= 0:
        return Refusal("zero_total", _("费用合计必须大于 0。"))
    return None


STATEMENT_FLOW = Workflow(
    "statement",
    state_field="state",
    states=StatementState,
    noun=_("收费确认单"),
    moves=[
        Move("send", _("发送给客户确认"), sources(S.DRAFT), S.SENT, guard=can_send,
             capability=Capability.BILLING_CONFIRM),
        Move("withdraw", _("撤回修改"), sources(S.SENT), S.DRAFT,
             capability=Capability.BILLING_CONFIRM),
        Move("approve", _("同意"), sources(S.SENT), S.APPROVED,
             capability=Capability.BILLING_APPROVE, button=False),
        Move("reject", _("拒绝"), sources(S.SENT), S.REJECTED, needs_note=True,
             capability=Capability.BILLING_APPROVE, button=False),
        Move("revise", _("重新编制"), sources(S.REJECTED), S.DRAFT,
             capability=Capability.BILLING_PROPOSE),
    ],
)  # fmt: skip

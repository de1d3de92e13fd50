"""The repair route (RMA-2, RMA-5, RMA-6) written down as the one workflow mechanism
(`weibao.core.workflow`). The turnaround clock runs while the part is received, at the repair
center or on its way back; it stops when the customer has the part again.

    received ──send_to_center──▶ at_repair_center
    received / at_repair_center ──repaired | unrepairable──▶ returning
    returning ──deliver (repaired)──▶ in_trial ──pass_trial──▶ closed
                                          └──fail_trial──▶ trial_failed (+ a new repair)
    returning ──deliver_unrepaired (unrepairable)──▶ returned_unrepaired

Every move is the spare keeper's (`Capability.SPARES_OPERATE`, for the repair's customer).
`button` moves need no form; `deliver`, `deliver_unrepaired` and `fail_trial` take a form
(dates, reasons). A refused move raises `MoveRefused` (`wrong_state` 409, `permission_denied`
403, `outcome_mismatch` 400) and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.core.workflow import Move, MoveRefused, Refusal, Workflow, sources
from weibao.repairs.choices import Outcome
from weibao.repairs.choices import RepairStatus as S

__all__ = ["REPAIR_FLOW", "MoveRefused"]

OPERATE = Capability.SPARES_OPERATE


def _outcome_is(outcome: str):
    def guard(repair, actor) -> Refusal | None:
        if repair.outcome != outcome:
            return Refusal("outcome_mismatch", _("维修结果与此操作不符。"))
        return None

    return guard


_AT_PROVIDER = sources(S.RECEIVED, S.AT_REPAIR_CENTER)

REPAIR_FLOW = Workflow(
    "repair",
    state_field="status",
    states=S,
    noun=_("返修单"),
    moves=[
        Move("send_to_center", _("送维修中心"), sources(S.RECEIVED), S.AT_REPAIR_CENTER,
             capability=OPERATE),
        Move("repaired", _("修复完成，寄回客户"), _AT_PROVIDER, S.RETURNING, capability=OPERATE),
        Move("unrepairable", _("无法修复，原件退回"), _AT_PROVIDER, S.RETURNING,
             capability=OPERATE),
        Move("deliver", _("客户已收到修复件"), sources(S.RETURNING), S.IN_TRIAL,
             guard=_outcome_is(Outcome.REPAIRED), capability=OPERATE, button=False),
        Move("deliver_unrepaired", _("客户已收到退回件"), sources(S.RETURNING),
             S.RETURNED_UNREPAIRED, guard=_outcome_is(Outcome.UNREPAIRABLE),
             capability=OPERATE, button=False),
        Move("pass_trial", _("试用合格"), sources(S.IN_TRIAL), S.CLOSED, capability=OPERATE),
        Move("fail_trial", _("试用不合格，重新返修"), sources(S.IN_TRIAL), S.TRIAL_FAILED,
             capability=OPERATE, button=False),
    ],
)  # fmt: skip

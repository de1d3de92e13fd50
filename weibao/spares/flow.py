"""The spares flows written down: the moves of a spare-part sale (SPS-1) and of a loan (SPX).

Sale orders:

    requested ──quote──▶ quoted ──agree──▶ agreed ──sign──▶ contracted ──prepay──▶ prepaid
        ▲                  │ └─quote (a new revision)                                │
        └──────reject──────┘                                          ship (≤ 3 months)
                                                                                      ▼
                                                         delivered ◀──deliver── shipped
    any stage before shipping ──cancel──▶ cancelled

Quoting, recording the customer's decision, the contract, the prepayment and cancelling are
the account manager's or the spare keeper's (`sale.quote`); shipping and delivery move stock
(`spares.operate`).

Loans:

    out ──deliver (once)──▶ out          out ──return──▶ returned
    out ──extend──▶ out                  out ──compensate──▶ compensated
    out ──convert (the runner, at the total limit)──▶ converted

Loans are the spare keeper's (`spares.operate`); an extension beyond the agreed period
(3 months) needs `spares.long_extension` (the maintenance manager), checked by the service
once the new date is known. A refused move raises `MoveRefused` and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability as C
from weibao.core import permissions
from weibao.core.workflow import Move, Refusal, Workflow, sources
from weibao.spares.choices import LoanKind, LoanStatus
from weibao.spares.choices import SaleStage as S

BEFORE_SHIPPING = sources(S.REQUESTED, S.QUOTED, S.AGREED, S.CONTRACTED, S.PREPAID)

SALE_FLOW = Workflow(
    "spare_sale",
    state_field="stage",
    states=S,
    noun=_("销售单"),
    moves=[
        Move("quote", _("提交配置方案与报价"), sources(S.REQUESTED, S.QUOTED), S.QUOTED,
             capability=C.SALE_QUOTE, button=False),
        Move("agree", _("客户同意方案与报价"), sources(S.QUOTED), S.AGREED,
             capability=C.SALE_QUOTE, button=False),
        Move("reject", _("客户不同意，退回修改方案"), sources(S.QUOTED), S.REQUESTED,
             capability=C.SALE_QUOTE, button=False, needs_note=True),
        Move("sign", _("签订备件销售合同"), sources(S.AGREED), S.CONTRACTED,
             capability=C.SALE_QUOTE, button=False),
        Move("prepay", _("收到预付款"), sources(S.CONTRACTED), S.PREPAID,
             capability=C.SALE_QUOTE, button=False),
        Move("ship", _("生产、发货"), sources(S.PREPAID), S.SHIPPED,
             capability=C.SPARES_OPERATE, button=False),
        Move("deliver", _("客户验货签收"), sources(S.SHIPPED), S.DELIVERED,
             capability=C.SPARES_OPERATE, button=False),
        Move("cancel", _("取消"), BEFORE_SHIPPING, S.CANCELLED,
             capability=C.SALE_QUOTE, button=False, needs_note=True),
    ],
)  # fmt: skip


def _not_delivered_yet(loan, actor) -> Refusal | None:
    if loan.delivered_at is not None:
        return Refusal("already_delivered", _("借用备件已送达。"))
    return None


def _extendable(loan, actor) -> Refusal | None:
    """Exchange loans only; the keeper extends within the agreed period, the maintenance
    manager beyond it (the service checks which, once the new date is known)."""
    if loan.kind != LoanKind.EXCHANGE:
        return Refusal("not_extendable", _("免费借用随修复件返回结束，无需延期。"))
    if actor is None:
        return None
    customer_id = loan.customer_id
    if permissions.can(actor, C.SPARES_OPERATE, customer_id=customer_id) or permissions.can(
        actor, C.SPARES_LONG_EXTENSION, customer_id=customer_id
    ):
        return None
    denied = permissions.refusal(actor, C.SPARES_OPERATE, customer_id=customer_id)
    return Refusal(denied.code, denied.message, status=403, capability=C.SPARES_OPERATE)


def _by_the_runner(loan, actor) -> Refusal | None:
    if actor is not None:
        return Refusal("automatic_only", _("借用累计期满后由系统自动转为销售。"))
    return None


OUT = sources(LoanStatus.OUT)

LOAN_FLOW = Workflow(
    "spare_loan",
    state_field="status",
    states=LoanStatus,
    noun=_("借用单"),
    moves=[
        Move("deliver", _("已送达"), OUT, LoanStatus.OUT, guard=_not_delivered_yet,
             capability=C.SPARES_OPERATE),
        Move("extend", _("延期"), OUT, LoanStatus.OUT, guard=_extendable, button=False),
        Move("return", _("归还入库"), OUT, LoanStatus.RETURNED,
             capability=C.SPARES_OPERATE, button=False),
        Move("compensate", _("赔偿并转移产权"), OUT, LoanStatus.COMPENSATED,
             capability=C.SPARES_OPERATE, button=False),
        Move("convert", _("累计超期转为销售"), OUT, LoanStatus.CONVERTED,
             guard=_by_the_runner, button=False),
    ],
)  # fmt: skip

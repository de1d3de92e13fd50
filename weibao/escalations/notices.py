"""The 15-minute L1 notice (§1.1.7.2: "15 分钟内电话通知负责人和维护管理经理"): when a fault
is judged L1, the centre's head and the maintenance manager are told at once — by phone
(a voice call, `NotificationKind.L1_NOTICE` rings by default) and on their other channels;
when neither can be reached, the next role up is (ESC-1)."""

from __future__ import annotations

import datetime as dt

from weibao.accounts.choices import Role
from weibao.contracts.policy import EscalationTarget
from weibao.core.events import event_text
from weibao.escalations.reach import Notices, Reach, notify_reaching
from weibao.notifications.choices import NotificationKind

# Who the notice is for, each with the chain tried when nobody of it can be reached.
L1_NOTICE_TO = (
    (Role.CENTER_HEAD, (EscalationTarget.MAINTENANCE_MANAGER, EscalationTarget.SERVICE_CENTER_GM)),
    (Role.MAINTENANCE_MANAGER, (EscalationTarget.SERVICE_CENTER_GM,)),
)


def send_l1_notice(ticket, *, at: dt.datetime, notices: Notices | None = None) -> list[Reach]:
    """Tell the centre's head and the maintenance manager that `ticket` was judged L1 at `at`
    (in the caller's transaction; once per judgement: the dedupe key carries `at`). With
    `notices` the messages join that batch (written by its `write()`)."""
    # worded in each recipient's language by the outbox
    subject = event_text("【一级故障】%(ticket)s %(customer)s", ticket=ticket.number,
                         customer=ticket.customer)  # fmt: skip
    body = event_text(
        "%(site)s：%(phenomenon)s\n判定为一级故障：%(at)s\n请立即组织应急处理。",
        site=ticket.site or "", phenomenon=ticket.fault_phenomenon, at=at,
    )  # fmt: skip
    return [
        notify_reaching(
            role,
            ticket=ticket,
            subject=subject,
            body=body,
            kind=NotificationKind.L1_NOTICE,
            dedupe_key=f"ticket:{ticket.pk}:l1:{int(at.timestamp())}:{role}",
            chain=chain,
            notices=notices,
        )
        for role, chain in L1_NOTICE_TO
    ]

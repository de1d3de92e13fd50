"""What field service says about other apps' moves: a ticket with an open visit cannot be
resolved (issue 9 #3; registered with the ticket flow in `FieldserviceConfig.ready()`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.core.workflow import Refusal
from weibao.fieldservice.choices import OPEN_VISIT_STATES

VISIT_OPEN = "visit_open"


def open_visit_refusal(ticket, actor=None) -> Refusal | None:
    """Refuse resolving while an engineer's visit is planned, on the way or on site: the
    visit closes first (checked out with the signed report, or cancelled)."""
    from weibao.fieldservice.models import Visit

    open_visits = Visit.objects.filter(ticket_id=ticket.pk, state__in=OPEN_VISIT_STATES)
    names = [str(v.engineer) for v in open_visits.select_related("engineer")]
    if not names:
        return None
    return Refusal(
        VISIT_OPEN,
        _("还有未结束的现场服务（%(names)s）：请先签退（客户签署技术服务报告）或取消。")
        % {"names": "、".join(names)},
    )

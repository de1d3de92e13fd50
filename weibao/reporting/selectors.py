"""Reads of the reporting screens, scoped to the user: a customer sees the reports of its own
contracts, and only once they have been generated."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.contracts.models import Contract
from weibao.core import clock
from weibao.core.permissions import require
from weibao.reporting.choices import PeriodKind
from weibao.reporting.models import AnalysisReport
from weibao.reporting.periods import periods_of


def reports_for(user):
    """The reports `user` may read (PRM-1 `report.read`; refused with 403 otherwise)."""
    require(user, Capability.REPORT_READ)
    reports = AnalysisReport.objects.visible_to(user).select_related(
        "contract", "contract__customer", "requested_by"
    )
    if user.customer_id:
        reports = reports.filter(generated_at__isnull=False)
    return reports


def contracts_for(user):
    require(user, Capability.REPORT_READ)
    return Contract.objects.visible_to(user).select_related("customer", "plan")


def report_index(user):
    """The contracts whose reports `user` may read, each annotated with `latest_report`: the
    id of its newest generated report that `user` may read (None when there is none)."""
    latest = (
        reports_for(user)
        .filter(contract=OuterRef("pk"), generated_at__isnull=False)
        .order_by("-period_start", "period_kind")  # newest period first
        .values("pk")[:1]
    )
    return contracts_for(user).annotate(latest_report=Subquery(latest))


def _label(period) -> str:
    return _("%(name)s（%(detail)s）") % {"name": period.label, "detail": period.dates}


def period_choices(contract) -> dict[str, list[tuple[str, str]]]:
    """For the generate form: each kind's periods that have started, newest first."""
    today = clock.today()
    return {
        kind: [
            (p.start.isoformat(), _label(p))
            for p in reversed(periods_of(contract, kind, until=today))
        ]
        for kind in PeriodKind.values
    }

"""Reads of the library app, and who at a customer hears about its documents and renewals.

Reading the library is `report.read` (everyone of the provider; a customer's users their own
customer's rows, through the scoped querysets); a user without it is refused (403)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Prefetch

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.accounts.selectors import customer_leaders_or_users, holders_of_role
from weibao.core.permissions import require
from weibao.library.choices import ConsultingState
from weibao.library.models import (
    ConsultingRequest,
    CoveragePeriod,
    LibraryDocument,
    SoftwareChange,
    ThirdPartyCoverage,
)


def customer_people(customer_id: int) -> list[User]:
    """The customer's leaders (客户负责人), or, when none is set up, its active users."""
    return customer_leaders_or_users(customer_id)


def account_managers(customer_id: int) -> list[User]:
    return holders_of_role(Role.ACCOUNT_MANAGER, customer_id)


def may_read(user) -> None:
    """Raise `PermissionRefused` unless `user` may read the library (`report.read`)."""
    require(user, Capability.REPORT_READ, customer_id=getattr(user, "customer_id", None))


def documents_for(user, *, category: str = "", q: str = ""):
    may_read(user)
    documents = LibraryDocument.objects.visible_to(user).select_related("uploaded_by")
    if category:
        documents = documents.filter(category=category)
    if q:
        documents = documents.filter(title__icontains=q)
    return documents.prefetch_related("customers")


def software_changes_for(user, *, asset_id: int | None = None):
    may_read(user)
    changes = SoftwareChange.objects.visible_to(user).select_related(
        "asset", "asset__site", "asset__category", "applied_by"
    )
    if asset_id:
        changes = changes.filter(asset_id=asset_id)
    return changes


def coverages_for(user):
    """Coverages the user may see, soonest expiry first, with their periods."""
    may_read(user)
    return (
        ThirdPartyCoverage.objects.visible_to(user)
        .select_related("customer")
        .prefetch_related(
            Prefetch("periods", queryset=CoveragePeriod.objects.order_by("start_date"))
        )
        .annotate(latest_expiry=Max("periods__expiry_date"))
        .order_by("latest_expiry", "vendor")
    )


def expiring_within(user, *, today: dt.date, days: int):
    return coverages_for(user).filter(
        latest_expiry__gte=today, latest_expiry__lte=today + dt.timedelta(days=days)
    )


def consulting_for(user, *, state: str = ""):
    may_read(user)
    requests = ConsultingRequest.objects.visible_to(user).select_related(
        "customer", "site", "owner", "submitted_by"
    )
    if state:
        requests = requests.filter(state=state)
    return requests


def proposal_visible_to(consulting, user) -> bool:
    """The provider sees a consulting proposal as it is written; the customer once delivered."""
    if not consulting.proposal:
        return False
    return not getattr(user, "customer_id", None) or consulting.state in (
        ConsultingState.DELIVERED,
        ConsultingState.CLOSED,
    )


def third_party_coverage_for(asset, on: dt.date) -> ThirdPartyCoverage | None:
    """The third-party coverage active for `asset` on day `on` (a period holds that day), with
    its vendor contact and terms (`vendor`, `contact_name`, `contact_phone`, `covers`, and
    `active_period` with the contract number and expiry), or None. Linked to the asset
    itself; the latest-starting period wins when two overlap."""
    period = (
        CoveragePeriod.objects.filter(
            coverage__customer_id=asset.customer_id,
            coverage__assets=asset,
            start_date__lte=on,
            expiry_date__gte=on,
        )
        .select_related("coverage")
        .order_by("-start_date", "-id")
        .first()
    )
    if period is None:
        return None
    coverage = period.coverage
    coverage.active_period = period
    return coverage

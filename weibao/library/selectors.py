"""Reads of the library app, and who at a customer hears about its documents and renewals."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Prefetch

from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.accounts.selectors import customer_leaders_or_users, holders_of_role
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


def documents_for(user, *, category: str = "", q: str = ""):
    documents = LibraryDocument.objects.visible_to(user).select_related("uploaded_by")
    if category:
        documents = documents.filter(category=category)
    if q:
        documents = documents.filter(title__icontains=q)
    return documents.prefetch_related("customers")


def software_changes_for(user, *, asset_id: int | None = None):
    changes = SoftwareChange.objects.visible_to(user).select_related(
        "asset", "asset__site", "asset__category", "applied_by"
    )
    if asset_id:
        changes = changes.filter(asset_id=asset_id)
    return changes


def coverages_for(user):
    """Coverages the user may see, soonest expiry first, with their periods."""
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
    requests = ConsultingRequest.objects.visible_to(user).select_related(
        "customer", "site", "owner", "submitted_by"
    )
    if state:
        requests = requests.filter(state=state)
    return requests

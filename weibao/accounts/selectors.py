"""Who is who: the one home of "who holds this role for this customer", "this customer's
active users" and "its signers". Every app asks here; nobody writes these queries again."""

from __future__ import annotations

from django.conf import settings

from weibao.accounts.choices import Language, Role, TeamKind
from weibao.accounts.models import RoleCapability, TeamMembership, User
from weibao.core import concurrency


def chosen_language(user) -> str | None:
    """The language `user` chose for their account (the switch or `PATCH /api/me/`), or None
    when they have not chosen one."""
    language = getattr(user, "language", "") if user is not None else ""
    return language if language in Language.values else None


def language_of(user) -> str:
    """The language `user` reads their notifications in: their own choice, else — and for
    anyone else: an address, a robot, a webhook, a contact without an account — the provider's
    default language (settings `LANGUAGE_CODE`)."""
    return chosen_language(user) or settings.LANGUAGE_CODE


def holders_of_role(role: str, customer_id: int | None) -> list[User]:
    """Active users assigned `role` for this customer, or else assigned it for all customers."""
    active = User.objects.filter(is_active=True)
    if customer_id is not None:
        specific = list(
            active.filter(
                role_assignments__role=role, role_assignments__customer_id=customer_id
            ).distinct()
        )
        if specific:
            return specific
    return list(
        active.filter(
            role_assignments__role=role, role_assignments__customer__isnull=True
        ).distinct()
    )


def emergency_team(customer_id: int | None) -> list[User]:
    """Members of the customer's emergency team (应急服务小组), or of the global one."""
    members = TeamMembership.objects.filter(
        team__kind=TeamKind.EMERGENCY, user__is_active=True
    ).select_related("user")
    specific = [m.user for m in members.filter(team__customer_id=customer_id)]
    return specific or [m.user for m in members.filter(team__customer__isnull=True)]


def customer_users(customer_id: int) -> list[User]:
    """The customer's own active users (they read the message in the portal and mailbox)."""
    return list(User.objects.filter(customer_id=customer_id, is_active=True).order_by("id"))


def customer_leaders_or_users(customer_id: int) -> list[User]:
    """The customer's leaders (客户负责人), or, when none is set up, its active users."""
    users = User.objects.filter(customer_id=customer_id, is_active=True).order_by("id")
    leaders = list(users.filter(role_assignments__role=Role.CUSTOMER_LEADER).distinct())
    return leaders or list(users)


def provider_staff_with_role(role: str, *, provider_id: int | None = None):
    """Active provider staff holding `role` (a queryset, e.g. for an engineer picker)."""
    staff = User.objects.filter(
        role_assignments__role=role, is_active=True, customer__isnull=True
    ).distinct()
    if provider_id is not None:
        staff = staff.filter(provider_id=provider_id)
    return staff.order_by("full_name", "username")


def permission_matrix() -> dict[str, frozenset[str]]:
    """The permission matrix (PRM-1) as it stands: role → the capabilities it holds."""
    matrix: dict[str, set[str]] = {role: set() for role in Role.values}
    for role, capability in RoleCapability.objects.values_list("role", "capability"):
        matrix.setdefault(role, set()).add(capability)
    return {role: frozenset(caps) for role, caps in matrix.items()}


def matrix_version(matrix: dict[str, frozenset[str]] | None = None) -> str:
    """The version of the permission matrix (its `ETag`, the hidden `_version` of its grid):
    a hash of every cell, so any change by anyone gives a new version."""
    matrix = permission_matrix() if matrix is None else matrix
    cells = sorted((role, cap) for role, caps in matrix.items() for cap in caps)
    return concurrency.version_of_values("accounts.permission_matrix", cells)

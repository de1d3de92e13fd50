"""Who holds a role for a customer: assignments for that customer win over global ones."""

from __future__ import annotations

from weibao.accounts.choices import Role, TeamKind
from weibao.accounts.models import TeamMembership, User
from weibao.contracts.policy import EscalationTarget

TARGET_ROLES = {
    EscalationTarget.FIELD_ENGINEER: Role.ENGINEER,
    EscalationTarget.ACCOUNT_MANAGER: Role.ACCOUNT_MANAGER,
    EscalationTarget.SERVICE_CENTER_GM: Role.SERVICE_CENTER_GM,
}


def holders_of_role(role: str, customer_id: int | None) -> list[User]:
    """Active users assigned `role` for this customer, or else assigned it for all customers."""
    active = User.objects.filter(is_active=True)
    specific = active.filter(
        role_assignments__role=role, role_assignments__customer_id=customer_id
    ).distinct()
    if customer_id is not None and specific.exists():
        return list(specific)
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


def recipients_for(target: str, *, customer_id: int | None, engineer: User | None) -> list[User]:
    """The people a ladder step reaches: the assigned engineer for the field-engineer step
    (role holders when nobody is assigned yet), the emergency team, or the role holders."""
    if target == EscalationTarget.FIELD_ENGINEER and engineer is not None:
        return [engineer]
    if target == EscalationTarget.EMERGENCY_TEAM:
        return emergency_team(customer_id)
    return holders_of_role(TARGET_ROLES.get(target, target), customer_id)

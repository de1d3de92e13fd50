"""Who a ladder step reaches (表 16 targets → people); role holders come from accounts."""

from __future__ import annotations

from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.accounts.selectors import emergency_team, holders_of_role
from weibao.contracts.policy import EscalationTarget

TARGET_ROLES = {
    EscalationTarget.FIELD_ENGINEER: Role.ENGINEER,
    EscalationTarget.ACCOUNT_MANAGER: Role.ACCOUNT_MANAGER,
    EscalationTarget.MAINTENANCE_MANAGER: Role.MAINTENANCE_MANAGER,
    EscalationTarget.SERVICE_CENTER_GM: Role.SERVICE_CENTER_GM,
}


def recipients_for(target: str, *, customer_id: int | None, engineer: User | None) -> list[User]:
    """The people a ladder step (or an action's owner role) reaches: the assigned engineer for
    the field-engineer step (role holders when nobody is assigned yet), the emergency team, or
    the holders of the role."""
    if target == EscalationTarget.FIELD_ENGINEER and engineer is not None:
        return [engineer]
    if target == EscalationTarget.EMERGENCY_TEAM:
        return emergency_team(customer_id)
    return holders_of_role(TARGET_ROLES.get(target, target), customer_id)

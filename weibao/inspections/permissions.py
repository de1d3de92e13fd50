"""Who may do what with inspections: planners move and assign visits, engineers inspect."""

from __future__ import annotations

from weibao.accounts.choices import Role

PLANNER_ROLES = (Role.MAINTENANCE_MANAGER, Role.SERVICE_OFFICE_MANAGER, Role.ACCOUNT_MANAGER)


def can_plan(user) -> bool:
    """Provider staff who plan inspections (维护管理经理, 服处经理, 客户经理) and superusers."""
    if not user.is_authenticated or user.customer_id:
        return False
    return user.is_superuser or user.has_role(*PLANNER_ROLES)


def can_inspect(user) -> bool:
    """Engineers carry out inspections; planners may stand in for them."""
    if not user.is_authenticated or user.customer_id:
        return False
    return can_plan(user) or user.has_role(Role.ENGINEER)

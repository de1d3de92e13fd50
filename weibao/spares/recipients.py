"""Who hears about spares and repairs: the spare keepers, the customer's account manager and
the customer's own users."""

from __future__ import annotations

from weibao.accounts import selectors
from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.accounts.selectors import holders_of_role


def spare_keepers(customer_id: int | None) -> list[User]:
    """The spare keepers (备板备件管理员) serving this customer."""
    return holders_of_role(Role.SPARE_KEEPER, customer_id)


def account_managers(customer_id: int | None) -> list[User]:
    return holders_of_role(Role.ACCOUNT_MANAGER, customer_id)


def customer_users(customer) -> list[User]:
    """The customer's own active users (they see the message in their portal and mailbox)."""
    return selectors.customer_users(customer.pk)

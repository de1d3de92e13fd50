"""How a person is named to someone else: the one function behind every page and API answer
that shows who did something.

The provider's staff see names as they are. A customer sees the provider's people by role and
surname, e.g. "维护工程师 李工" — never their user name or full name — and their own
colleagues by name. Someone without a role (an administrator) appears as the service
provider; an action by nobody (the system) as "系统".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.accounts.choices import CUSTOMER_ROLES, Role

_PROVIDER_ROLES = [role for role in Role if role not in CUSTOMER_ROLES]


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def public_name(person, reader=None) -> str:
    """`person` as `reader` may see them: by name for the provider's staff and for a
    customer's own colleagues, by role and surname (维护工程师 李工) otherwise."""
    if person is None:
        return _("系统")
    if reader is None or not getattr(reader, "customer_id", None):
        return str(person)
    if getattr(person, "customer_id", None):
        if person.customer_id == reader.customer_id:
            return str(person)
        return _("客户人员")
    roles = person.roles_for(None) if hasattr(person, "roles_for") else set()
    role = next((r for r in _PROVIDER_ROLES if r in roles), None)
    if role is None:
        return _("服务商")
    title = Role(role).label
    name = (getattr(person, "full_name", "") or "").strip()
    if name and _is_cjk(name[0]):
        return _("%(role)s %(surname)s工") % {"role": title, "surname": name[0]}
    return str(title)

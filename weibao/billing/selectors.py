"""Reads of the billing screens and API, always through the user's scope."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from weibao.accounts.capabilities import Capability
from weibao.billing.choices import StatementState
from weibao.billing.models import Statement
from weibao.core import permissions
from weibao.core.selectors import history_for


def statements_for(user, *, state: str = ""):
    """The statements `user` may see, newest first, with their lines for the totals."""
    statements = (
        Statement.objects.visible_to(user)
        .select_related("customer", "site", "subject_type", "exclusion")
        .prefetch_related("lines")
    )
    if state in StatementState.values:
        statements = statements.filter(state=state)
    return statements


def awaiting_approval(user):
    """Statements sent to the customer and not yet approved or rejected."""
    return statements_for(user, state=StatementState.SENT).order_by("sent_at", "id")


def statements_about(subject, user):
    """The statements of one ticket or repair that `user` may see."""
    return statements_for(user).filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def may_edit_lines(statement: Statement, user) -> bool:
    """Whether `user` may add or remove cost lines now: a draft, and `billing.propose`."""
    return statement.state == StatementState.DRAFT and permissions.can(
        user, Capability.BILLING_PROPOSE, customer_id=statement.customer_id
    )


def statement_page(statement: Statement, reader=None) -> dict:
    exclusion = statement.exclusion
    return {
        "lines": list(statement.lines.all()),
        "totals": statement.totals,
        "exclusion": exclusion,
        "causes": list(exclusion.causes.all()) if exclusion else [],
        "history": history_for(statement, reader=reader),
    }

"""The error answers of field-service actions: the project's, with the visit's own codes."""

from weibao.api import schema

ERRORS = schema.error_responses(
    e400="Refused input or rule: a stable `code` (`onsite_not_confirmed`, "
    "`service_report_missing`, `note_required`, `training_too_long` …).",
    e403="`permission_denied` (the missing `capability` is named) or `not_your_visit`.",
    e409="`wrong_state`: the visit is not in a state for this move.",
)


def answers(ok, status: int = 200) -> dict:
    """`responses=` of an action: its success body plus the error answers."""
    return schema.answers(ok, status, errors=ERRORS)

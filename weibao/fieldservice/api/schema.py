"""The error answers every field-service action documents in the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse

_ERROR = '`{"code", "detail", "fields"}`'
ERRORS = {
    400: OpenApiResponse(
        description=f"Refused input or rule: {_ERROR} with a stable `code` "
        "(`onsite_not_confirmed`, `service_report_missing`, `note_required`, "
        "`training_too_long` …)."
    ),
    403: OpenApiResponse(
        description="`permission_denied` (the missing `capability` is named) or `not_your_visit`."
    ),
    404: OpenApiResponse(description="Not found, or not yours to see."),
    409: OpenApiResponse(description="`wrong_state`: the visit is not in a state for this move."),
}


def answers(ok, status: int = 200) -> dict:
    """`responses=` of an action: its success body plus the error answers."""
    return {status: ok, **ERRORS}

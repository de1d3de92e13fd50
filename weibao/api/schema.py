"""The error answers every API action documents in the OpenAPI schema, in one place.

@extend_schema(responses=answers(RepairSerializer))          # 200 + 400/403/404/409
@extend_schema(responses=answers(VisitSerializer, 201, errors=VISIT_ERRORS))
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

_BODY = '`{"code", "detail", "fields"}`'


def error_responses(**descriptions: str) -> dict[int, OpenApiResponse]:
    """400/403/404/409 with the project's wording; `e400="…"` etc. name an app's own codes."""
    texts = {
        400: f"Refused input or rule: {_BODY} with a stable `code`.",
        403: "`permission_denied`: the missing `capability` is named.",
        404: "Not found, or not yours to see.",
        409: "`wrong_state`: the object is not in a state for this move.",
    }
    for key, text in descriptions.items():
        texts[int(key.lstrip("e"))] = text
    return {status: OpenApiResponse(description=text) for status, text in texts.items()}


ERRORS = error_responses()


def answers(ok, status: int = 200, *, errors: dict | None = None) -> dict:
    """`responses=` of an action: its success body plus the error answers."""
    return {status: ok, **(errors or ERRORS)}

"""The error answers every library action documents in the OpenAPI schema (a candidate for
`weibao.api`, beside the other shared API helpers)."""

from drf_spectacular.utils import OpenApiResponse

_ERROR = '`{"code", "detail", "fields"}`'
ERRORS = {
    400: OpenApiResponse(description=f"Refused input or rule: {_ERROR} with a stable `code`."),
    403: OpenApiResponse(description="`permission_denied`: the missing `capability` is named."),
    404: OpenApiResponse(description="Not found, or not yours to see."),
    409: OpenApiResponse(description="`wrong_state`: the object is not in a state for this move."),
}


def answers(ok, status: int = 200) -> dict:
    """`responses=` of an action: its success body plus the error answers."""
    return {status: ok, **ERRORS}

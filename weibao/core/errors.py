"""Domain errors: a stable code for integrators, a message for people, optionally a field."""

from __future__ import annotations


class DomainError(Exception):
    """A refused request. The API answers 400 with `code`, `message` and the field's message;
    the web shows the message; the CLI prints it and exits 2."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class NotFound(DomainError):
    code = "not_found"
    status = 404


def page_status(request, error: DomainError | None = None) -> int:
    """The status of a web page re-rendered with refused input (an invalid form, or a service's
    refusal `error`), the same as the API's: 400 for bad input — an upload refused for its size,
    pixels or content among it — or the refusal's own status (403, 409…).

    An htmx request gets 200 with the re-rendered fragment instead: htmx 2 swaps no 4xx
    answer by default, so the user would not see the field's error. (The project keeps htmx's
    default response handling so that 4xx answers of other htmx requests stay unswapped.)"""
    status = error.status if error is not None else 400
    if status != 403 and request.headers.get("HX-Request") == "true":
        return 200
    return status

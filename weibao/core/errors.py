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

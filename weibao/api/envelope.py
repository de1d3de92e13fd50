"""The body of every API error answer (see `weibao.api.errors`). Plain Python on purpose: the
lean alarm intake process (`weibao.alarms.intake_server`) answers with it without loading
the app registry or DRF."""

from __future__ import annotations


def envelope(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    """The body of every error answer."""
    return {"code": code, "message": str(message), "fields": fields or {}, **extra}

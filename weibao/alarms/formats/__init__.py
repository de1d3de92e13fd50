"""Format parsers: each turns the body of one delivery into `Normalised` alarms, touching no
database (they read only the source's settings), and raises `Malformed` — answered 400 with its
message — for a body that is not what the format says."""

from __future__ import annotations

from weibao.core.errors import DomainError


class Malformed(DomainError):
    """A delivery whose body cannot be read as its format; nothing of it is stored."""

    code = "malformed"

"""What the loan and sale viewsets share: the project's one API action helper."""

from weibao.api.actions import ServiceActions

__all__ = ["ServiceActions"]

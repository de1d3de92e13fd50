"""The spares API: the catalog of part types, pools with stock derived from the ledger, parts
and their moves, exchange loans (SPX) and spare-part sales (SPS) with their actions.

Customer users read their own loans, sales and pool; only provider staff write. A refused
request answers 400 with a stable `code` (`quota_exceeded`, `own_spare_available`,
`loan_total_exceeded`, `out_of_stock`, `stage_not_allowed`, …) and writes nothing."""

from weibao.spares.api.views.inventory import (
    PartTypeViewSet,
    SparePartViewSet,
    SparePoolViewSet,
    StockMovementViewSet,
)
from weibao.spares.api.views.loans import LoanViewSet
from weibao.spares.api.views.sales import SaleOrderViewSet

__all__ = [
    "LoanViewSet",
    "PartTypeViewSet",
    "SaleOrderViewSet",
    "SparePartViewSet",
    "SparePoolViewSet",
    "StockMovementViewSet",
]

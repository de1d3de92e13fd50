"""The spares API: the catalog of part types, pools with stock derived from the ledger, parts
and their moves, exchange loans (SPX) and spare-part sales (SPS) with their actions.

Customer users read their own loans, sales and pool; only provider staff write. A refused
request answers 400 with a stable `code` (`quota_exceeded`, `own_spare_available`,
`loan_total_exceeded`, `out_of_stock`, …) and writes nothing; a move from the wrong state
answers 409 `wrong_state`, a missing capability 403 `permission_denied`."""

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

from weibao.spares.models.inventory import (
    PartType,
    SparePart,
    SparePool,
    StockLocation,
    StockMovement,
)
from weibao.spares.models.loans import Loan, LoanExtension
from weibao.spares.models.sales import SaleItem, SaleOrder, SaleQuote, SaleQuoteLine

__all__ = [
    "Loan",
    "LoanExtension",
    "PartType",
    "SaleItem",
    "SaleOrder",
    "SaleQuote",
    "SaleQuoteLine",
    "SparePart",
    "SparePool",
    "StockLocation",
    "StockMovement",
]

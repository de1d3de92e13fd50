"""Spares screens: exchange loans, spare-part sales, the stock with its ledger and the
part-type catalog. The spare keeper's board lives with the repairs (`repairs:board`). Views
parse input, call one service and render; customer users read their own loans and purchases."""

from weibao.spares.views.loans import loan_act, loan_detail, loan_list, loan_new
from weibao.spares.views.sales import sale_act, sale_detail, sale_list, sale_new
from weibao.spares.views.stock import (
    part_type_delete,
    part_type_edit,
    part_types,
    stock,
    stock_move,
    stock_receive,
)

__all__ = [
    "loan_act",
    "loan_detail",
    "loan_list",
    "loan_new",
    "part_type_delete",
    "part_type_edit",
    "part_types",
    "sale_act",
    "sale_detail",
    "sale_list",
    "sale_new",
    "stock",
    "stock_move",
    "stock_receive",
]

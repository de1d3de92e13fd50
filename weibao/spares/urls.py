from django.urls import path

from weibao.spares import views

app_name = "spares"

urlpatterns = [
    path("loans/", views.loan_list, name="loans"),
    path("loans/new/", views.loan_new, name="loan_new"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/<str:verb>/", views.loan_act, name="loan_act"),
    path("sales/", views.sale_list, name="sales"),
    path("sales/new/", views.sale_new, name="sale_new"),
    path("sales/<int:pk>/", views.sale_detail, name="sale_detail"),
    path("sales/<int:pk>/<str:verb>/", views.sale_act, name="sale_act"),
    path("stock/", views.stock, name="stock"),
    path("stock/receive/", views.stock_receive, name="stock_receive"),
    path("stock/move/", views.stock_move, name="stock_move"),
    path("part-types/", views.part_types, name="part_types"),
    path("part-types/new/", views.part_type_edit, name="part_type_new"),
    path("part-types/<int:pk>/", views.part_type_edit, name="part_type_edit"),
    path("part-types/<int:pk>/delete/", views.part_type_delete, name="part_type_delete"),
]

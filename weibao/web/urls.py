from django.urls import path

from weibao.web import imports, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("plans/", views.plan_list, name="plan_list"),
    path("imports/<str:kind>/", imports.upload, name="import_upload"),
    path("imports/<str:kind>/template/", imports.template, name="import_template"),
    path("imports/<str:kind>/<str:token>/", imports.preview, name="import_preview"),
    path("imports/<str:kind>/<str:token>/confirm/", imports.confirm, name="import_confirm"),
]

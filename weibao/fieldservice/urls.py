from django.urls import path

from weibao.fieldservice import views

app_name = "fieldservice"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/documents/<slug:kind>/new/", views.new_document, name="new_document"),
    path("visits/<int:pk>/training/new/", views.training_new, name="training_new"),
    path("visits/<int:pk>/<str:verb>/", views.visit_act, name="visit_act"),
    path("plans/<int:pk>/executed/", views.plan_executed, name="plan_executed"),
    path("tickets/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
]

from django.urls import path

from weibao.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("contracts/<int:contract_pk>/", views.contract_reports, name="contract"),
    path("contracts/<int:contract_pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/", views.report_page, name="report"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/sections/", views.save_sections, name="sections"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]

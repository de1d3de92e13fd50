from django.urls import path

from weibao.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("<int:pk>/", views.statement_detail, name="detail"),
    path("<int:pk>/download/<str:fmt>/", views.statement_download, name="download"),
    path("<int:pk>/<str:verb>/", views.statement_act, name="act"),
    path("tickets/<int:ticket_pk>/out-of-scope/", views.mark_ticket, name="mark_ticket"),
    path("exclusions/<int:pk>/evidence/", views.evidence, name="evidence"),
]

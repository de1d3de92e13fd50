from django.urls import path

from weibao.repairs import views

app_name = "repairs"

urlpatterns = [
    path("", views.repair_list, name="list"),
    path("board/", views.board, name="board"),
    path("new/", views.new, name="new"),
    path("new/assets/", views.asset_options, name="asset_options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/registration.pdf", views.registration_pdf, name="registration_pdf"),
    path("<int:pk>/label.pdf", views.label_pdf, name="label_pdf"),
    path("<int:pk>/<str:verb>/", views.act, name="act"),
]

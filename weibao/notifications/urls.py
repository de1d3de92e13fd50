from django.urls import path

from weibao.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]

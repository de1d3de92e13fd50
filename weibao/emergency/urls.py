from django.urls import path

from weibao.emergency import views

app_name = "emergency"

urlpatterns = [
    path("", views.register, name="register"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("sites/<int:pk>/", views.site_page, name="site"),
    path("sites/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("sites/<int:pk>/drills/", views.record_drill, name="record_drill"),
    path("sites/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("drills/<int:pk>/follow-ups/", views.close_follow_ups, name="close_follow_ups"),
]

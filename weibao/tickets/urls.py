from django.urls import path

from weibao.tickets import exports, views

app_name = "tickets"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", exports.queue_export, name="export"),
    path("customers/", views.queue_customers, name="queue_customers"),
    path("new/", views.new, name="new"),
    path("new/options/", views.form_options, name="form_options"),
    path("new/caller/", views.caller, name="caller"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notes/", views.add_note, name="note"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="attachment_delete"),
    path("<int:pk>/<str:verb>/", views.act, name="act"),
]

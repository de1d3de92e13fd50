from django.urls import path

from weibao.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/request-signature/", views.request_signature, name="request_signature"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/refuse-signature/", views.refuse_signature, name="refuse_signature"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/verify/", views.verify, name="verify"),
]

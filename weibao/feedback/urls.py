from django.urls import path

from weibao.feedback.views import callbacks, complaints, portal

app_name = "feedback"

urlpatterns = [
    path("portal/", portal.portal, name="portal"),
    path("callbacks/", callbacks.callback_list, name="callbacks"),
    path("callbacks/<int:ticket_pk>/", callbacks.record_callback, name="record_callback"),
    path("surveys/", callbacks.survey_list, name="surveys"),
    path("surveys/<int:ticket_pk>/", callbacks.survey_answer, name="survey"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/<str:verb>/", complaints.complaint_act, name="complaint_act"),
]

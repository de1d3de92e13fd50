from django.urls import path

from weibao.inspections.views import onsite, planner

app_name = "inspections"

urlpatterns = [
    path("", planner.calendar, name="calendar"),
    path("plan/", planner.plan, name="plan"),
    path("generate/", planner.generate, name="generate"),
    path("mine/", onsite.mine, name="mine"),
    path("visits/", planner.visit_list, name="visits"),
    path("visits/<int:pk>/", onsite.visit_detail, name="visit"),
    path("visits/<int:pk>/move/", planner.move, name="move"),
    path("visits/<int:pk>/assign/", planner.assign, name="assign"),
    path("visits/<int:pk>/cancel/", planner.cancel, name="cancel"),
    path("visits/<int:pk>/start/", onsite.start, name="start"),
    path("visits/<int:pk>/checklist/", onsite.checklist, name="checklist"),
    path("visits/<int:pk>/complete/", onsite.complete, name="complete"),
    path("checks/<int:pk>/", onsite.record, name="record"),
    path("checks/<int:pk>/photo/", onsite.photo, name="photo"),
]

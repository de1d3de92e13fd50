"""The project's URLs plus the feedback and billing screens and API (the customer portal page
links statements), until the integrator mounts them."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.billing.api.views import StatementViewSet
from weibao.feedback.api.views import CallbackViewSet, ComplaintViewSet, SurveyViewSet
from weibao.urls import urlpatterns as project

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("statements", StatementViewSet, basename="statement")

urlpatterns = [
    path("api/", include(router.urls)),
    path("billing/", include("weibao.billing.urls")),
    path("feedback/", include("weibao.feedback.urls")),
    *project,
]

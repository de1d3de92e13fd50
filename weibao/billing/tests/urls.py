"""The project's URLs plus the billing screens and API, until the integrator mounts them."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.billing.api.views import ExclusionCauseViewSet, ExclusionViewSet, StatementViewSet
from weibao.urls import urlpatterns as project

router = SimpleRouter()
router.register("exclusion-causes", ExclusionCauseViewSet, basename="exclusion-cause")
router.register("exclusions", ExclusionViewSet, basename="exclusion")
router.register("statements", StatementViewSet, basename="statement")

urlpatterns = [
    path("api/", include(router.urls)),
    path("billing/", include("weibao.billing.urls")),
    *project,
]

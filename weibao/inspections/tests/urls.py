"""The project's URLs plus the inspections, emergency and documents screens and the
inspections and emergency API, until the integrator mounts them in `weibao/urls.py` and
`weibao/api/urls.py` (tests use `pytest.mark.urls`)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.emergency.api.views import DrillViewSet, EmergencyEventViewSet, SiteReadinessViewSet
from weibao.inspections.api.views import (
    CheckResultViewSet,
    InspectionPlanViewSet,
    InspectionVisitViewSet,
)
from weibao.urls import urlpatterns as project

_mounted = {getattr(p, "namespace", None) for p in project}

router = SimpleRouter()
router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
router.register("inspection-visits", InspectionVisitViewSet, basename="inspection-visit")
router.register("inspection-checks", CheckResultViewSet, basename="inspection-check")
router.register("emergency-events", EmergencyEventViewSet, basename="emergency-event")
router.register("emergency-drills", DrillViewSet, basename="emergency-drill")
router.register("emergency-readiness", SiteReadinessViewSet, basename="emergency-readiness")

urlpatterns = [
    path("api/", include(router.urls)),
    *(
        [path("inspections/", include("weibao.inspections.urls"))]
        if "inspections" not in _mounted
        else []
    ),
    *(
        [path("emergency/", include("weibao.emergency.urls"))]
        if "emergency" not in _mounted
        else []
    ),
    *(
        [path("documents/", include("weibao.documents.urls"))]
        if "documents" not in _mounted
        else []
    ),
    *project,
]

"""The project's URLs plus the reports' (pages and API), until the integrator mounts them in
weibao/urls.py and weibao/api/urls.py."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.reporting.api.views import AnalysisReportViewSet
from weibao.urls import urlpatterns as project_urlpatterns

router = SimpleRouter()
router.register("analysis-reports", AnalysisReportViewSet, basename="analysis-report")

urlpatterns = [
    path("reports/", include("weibao.reporting.urls")),
    path("api/", include(router.urls)),
    *[p for p in project_urlpatterns if "reporting" not in str(p.pattern)],
]

"""The project's URLs plus documents and field service (pages and API), for tests run before
the integrator mounts them in `weibao/urls.py` and `weibao/api/urls.py`."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.documents.api.views import SignedDocumentViewSet
from weibao.fieldservice.api.views import TrainingSessionViewSet, VisitViewSet
from weibao.urls import urlpatterns as project_urlpatterns


def _mounted(namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in project_urlpatterns)


router = SimpleRouter()
router.register("documents", SignedDocumentViewSet, basename="document")
router.register("field-visits", VisitViewSet, basename="field-visit")
router.register("training-sessions", TrainingSessionViewSet, basename="training-session")

urlpatterns = [path("api/", include(router.urls))]
for prefix, module, namespace in (
    ("documents/", "weibao.documents.urls", "documents"),
    ("fieldservice/", "weibao.fieldservice.urls", "fieldservice"),
):
    if not _mounted(namespace):
        urlpatterns.append(path(prefix, include(module)))
urlpatterns += project_urlpatterns

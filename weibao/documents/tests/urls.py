"""The project's URLs plus the documents app's, for tests run before the integrator mounts them
in `weibao/urls.py` and `weibao/api/urls.py` (harmless afterwards)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.documents.api.views import SignedDocumentViewSet
from weibao.urls import urlpatterns as project_urlpatterns


def _mounted(namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in project_urlpatterns)


router = SimpleRouter()
router.register("documents", SignedDocumentViewSet, basename="document")

urlpatterns = [path("api/", include(router.urls))]
if not _mounted("documents"):
    urlpatterns.append(path("documents/", include("weibao.documents.urls")))
urlpatterns += project_urlpatterns

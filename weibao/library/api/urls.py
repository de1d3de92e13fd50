"""The library's API routes, mounted by the project under /api/library/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.library.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="library-document")
router.register("software-changes", views.SoftwareChangeViewSet, basename="library-software-change")
router.register("coverages", views.CoverageViewSet, basename="library-coverage")
router.register("consulting", views.ConsultingViewSet, basename="library-consulting")

urlpatterns = [path("", include(router.urls))]

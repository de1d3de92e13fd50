"""The project's URLs plus the notifications API router, for the endpoint API tests (the
project router in `weibao/api/urls.py` lists the same viewsets from `router_registrations`)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from weibao.notifications.api.views import router_registrations
from weibao.urls import urlpatterns as project_urls

router = DefaultRouter()
for prefix, viewset, basename in router_registrations:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [path("api-notifications/", include(router.urls)), *project_urls]

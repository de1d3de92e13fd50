"""The project's URLs plus the library's, until the integrator mounts them in weibao/urls.py."""

from django.urls import include, path

from weibao.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("library/", include("weibao.library.urls")),
    *[p for p in project_urlpatterns if "library" not in str(p.pattern)],
]

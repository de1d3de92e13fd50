"""The project's URLs plus the library's API (until the integrator mounts it in
weibao/api/urls.py as `path("library/", include("weibao.library.api.urls"))`)."""

from django.urls import include, path

from weibao.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/library/", include("weibao.library.api.urls")),
    path("library/", include("weibao.library.urls")),
    *[p for p in project_urlpatterns if "library" not in str(p.pattern)],
]

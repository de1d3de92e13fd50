"""The project's URLs plus the inspections, emergency and documents screens, until the
integrator mounts them in `weibao/urls.py` (tests use `pytest.mark.urls`)."""

from django.urls import include, path

from weibao.urls import urlpatterns as project

_mounted = {getattr(p, "namespace", None) for p in project}

urlpatterns = [
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

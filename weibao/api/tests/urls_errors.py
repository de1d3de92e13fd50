"""The project's URLs plus views that fail on purpose, for the error-envelope tests."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.throttling import BaseThrottle


class Exhausted(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        return False

    def wait(self) -> float:
        return 30


@api_view(["GET"])
@permission_classes([AllowAny])
def broken(request):
    raise RuntimeError("column tickets_ticket.secret does not exist")


@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([Exhausted])
def throttled(request):
    return HttpResponse("never")


def plain_broken(request):
    raise RuntimeError("a plain Django view failed")


urlpatterns = [
    path("api/test/broken/", broken),
    path("api/test/throttled/", throttled),
    path("api/test/plain-broken/", plain_broken),
    path("", include("weibao.urls")),
]

"""Makes the signed-in user the actor of every change recorded while a request runs."""

from weibao.core.audit import acting_as


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The request, not its user: DRF authenticates tokens later, inside the view, and
        # sets request.user then; the actor is resolved when a change is written.
        with acting_as(request):
            return self.get_response(request)


class PermissionRefusedMiddleware:
    """A web view that lets a `PermissionRefused` escape answers 403 with its message, as
    the API does; the check itself lives in the service (PRM-1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied

        from weibao.core.permissions import PermissionRefused

        if isinstance(exception, PermissionRefused):
            raise PermissionDenied(exception.message) from exception
        return None

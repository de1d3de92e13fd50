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

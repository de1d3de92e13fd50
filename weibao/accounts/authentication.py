"""API authentication that reads like the web does: a request with a token is answered in the
language its user chose for their account (`User.language`), as a signed-in session is by
`UserLanguageMiddleware` — the user is only known once the token is read, inside the view."""

from __future__ import annotations

from django.utils import translation
from rest_framework import authentication

from weibao.accounts.selectors import chosen_language


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; then the user's chosen language, when they chose one."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            language = chosen_language(result[0])
            if language is not None:
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result

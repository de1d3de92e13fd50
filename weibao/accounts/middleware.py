"""A signed-in user who chose a language (`User.language`) reads Weibao in it, on any device and
whatever the language cookie says; anonymous visitors, and users who never chose, keep the
language switch's cookie (`weibao.web.middleware.ChosenLanguageMiddleware`, which runs
first)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from weibao.accounts.selectors import chosen_language


class UserLanguageMiddleware:
    """After `AuthenticationMiddleware`: activate the signed-in user's chosen language. The
    language cookie is brought in line with it, so the sign-in page after signing out stays in
    the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _chosen(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        language = _chosen(request)  # the view may have signed someone in, or changed it
        if language is not None:
            response.headers["Content-Language"] = language
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
                _set_cookie(response, language)
        return response


def _chosen(request) -> str | None:
    user = getattr(request, "user", None)
    return chosen_language(user) if user is not None and user.is_authenticated else None


def _set_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )

"""Chinese first: the UI is in zh-hans unless the user chose another language with the switch
(the language cookie). Browsers' Accept-Language is not consulted, so an engineer's English
phone still shows the Chinese screens colleagues talk about."""

from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from weibao.demo import selectors as demo_selectors


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Headers of every answer (settings: "Security (issue 11 #5, #9)"): the
    Content-Security-Policy, and `Cache-Control: no-store` when someone is signed in, so no
    browser or proxy keeps a copy of a page or a file that needs a login. Staff opening the
    admin are warned while demo accounts still have the public demo password (outside demo
    mode)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not settings.WEIBAO_DEMO
            and request.path == reverse("admin:index")
        ):
            _warn_demo_passwords(request)
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.WEIBAO_CSP)
        # The user as the view saw it (DRF puts the token's account there too).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def _warn_demo_passwords(request) -> None:
    names = demo_selectors.usernames_with_demo_password()
    if names:
        messages.warning(
            request,
            _(
                "以下账号仍使用公开的演示密码，任何人都能登录：%(names)s。请立即修改这些账号的"
                "密码或停用它们（演示环境请设置 WEIBAO_DEMO=true）。"
            )
            % {"names": _("、").join(names)},
        )

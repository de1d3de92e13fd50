"""Pages of accounts: the language switch, which a signed-in user's account remembers."""

from __future__ import annotations

from django.views import i18n

from weibao.accounts import services
from weibao.accounts.choices import Language


def set_language(request):
    """Django's language switch (the cookie, then back to `next`); for a signed-in user the
    choice is also stored on their account, so every device and their notifications follow
    it (`services.set_language`)."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in Language.values:
        services.set_language(user, language=language, actor=user)
    return response

"""A user's language: chosen with the language switch or through the API (`/api/me/`), kept on
the account, and the language of their screens from the moment they sign in, on any device.
Anonymous visitors keep the switch's cookie."""

import pytest
from django.conf import settings
from django.utils import translation

from weibao.accounts.choices import AccountEvent
from weibao.core.models import ChangeLog
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in this thread; later tests expect the
    default."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture(autouse=True)
def _quick_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(**kwargs):
    from django.contrib.auth.hashers import make_password

    return f.UserFactory(password=make_password(f.PASSWORD), **kwargs)


def _sign_in(client, user):
    answer = client.post("/accounts/login/", {"username": user.username, "password": f.PASSWORD})
    assert answer.status_code == 302, answer.content.decode()[:500]


def _home(client):
    page = client.get("/")
    assert page.status_code == 200
    return page


def _reads_english(page) -> bool:
    text = page.content.decode()
    english = '<html lang="en">' in text and "· Maintenance service desk</title>" in text
    chinese = '<html lang="zh-hans">' in text and "· 维保服务台</title>" in text
    assert english != chinese
    return english


def test_the_switch_keeps_a_signed_in_users_choice_on_every_device(client):
    # given a user signed in, reading Chinese
    user = _user()
    _sign_in(client, user)
    assert not _reads_english(_home(client))
    # when they switch to English
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.status_code == 302
    # then their account keeps it, with an event saying so
    user.refresh_from_db()
    assert user.language == "en"
    event = ChangeLog.objects.get(kind=AccountEvent.LANGUAGE_CHANGED)
    with translation.override("en"):
        assert event.text == "Interface language: English"
    assert _reads_english(_home(client))
    # and signing in on another device (no cookie there) shows English right after login
    other = client_class()
    assert not _reads_english(other.get("/accounts/login/"))
    _sign_in(other, user)
    page = _home(other)
    assert _reads_english(page) and page.headers["Content-Language"] == "en"
    # the device's cookie follows the account, so signing out keeps the user's language
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    other.post("/accounts/logout/")
    assert _reads_english(other.get("/accounts/login/"))


def test_the_account_wins_over_a_cookie_left_from_before(client):
    user = _user(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    _sign_in(client, user)
    assert _reads_english(_home(client))
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_user_who_never_chose_follows_the_switchs_cookie(client):
    user = _user()
    assert user.language == ""  # not chosen: notifications in the default language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _sign_in(client, user)
    assert _reads_english(_home(client))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert not _reads_english(_home(client))


def test_anonymous_visitors_keep_the_switchs_cookie(client):
    assert not _reads_english(client.get("/accounts/login/"))
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert answer.status_code == 302
    assert _reads_english(client.get("/accounts/login/"))
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert not _reads_english(client.get("/accounts/login/"))


def test_an_unknown_language_on_the_switch_changes_nothing(client):
    user = _user()
    _sign_in(client, user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""
    assert not _reads_english(_home(client))


def test_the_api_reads_and_changes_the_signed_in_users_language(api):
    user = f.UserFactory()
    api.force_authenticate(user)
    assert api.get("/api/me/").json()["language"] is None  # not chosen yet
    answer = api.patch("/api/me/", {"language": "en"}, format="json")
    assert answer.status_code == 200 and answer.json()["language"] == "en"
    user.refresh_from_db()
    assert user.language == "en"
    assert ChangeLog.objects.filter(kind=AccountEvent.LANGUAGE_CHANGED).count() == 1
    # the same again changes nothing and records nothing
    assert api.patch("/api/me/", {"language": "en"}, format="json").status_code == 200
    assert ChangeLog.objects.filter(kind=AccountEvent.LANGUAGE_CHANGED).count() == 1


def test_the_api_refuses_an_unknown_language_on_its_field(api):
    user = f.UserFactory()
    api.force_authenticate(user)
    answer = api.patch("/api/me/", {"language": "fr"}, format="json")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "unknown_language"
    assert body["fields"]["language"] == ["不支持的语言：fr（可选：zh-hans, en）"]
    missing = api.patch("/api/me/", {}, format="json")
    assert missing.status_code == 400 and "language" in missing.json()["fields"]
    user.refresh_from_db()
    assert user.language == ""


def test_nobody_but_an_administrator_sets_another_users_language():
    from weibao.accounts.services import set_language
    from weibao.core.permissions import PermissionRefused

    user, other = f.UserFactory(), f.UserFactory()
    with pytest.raises(PermissionRefused):
        set_language(user, language="en", actor=other)
    admin = f.UserFactory(is_superuser=True)
    set_language(user, language="en", actor=admin)
    user.refresh_from_db()
    assert user.language == "en"


def client_class():
    from django.test import Client

    return Client()


def test_a_token_request_is_answered_in_the_tokens_users_language(api):
    from rest_framework.authtoken.models import Token

    english = f.UserFactory(language="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=english).key}")
    answer = api.patch("/api/me/", {"language": "fr"}, format="json", HTTP_ACCEPT_LANGUAGE="zh")
    assert answer.status_code == 400
    assert answer["Content-Language"] == "en"
    assert answer.json()["fields"]["language"] == [
        "Unsupported language: fr (choose from: zh-hans, en)"
    ]


def test_a_token_user_who_never_chose_is_answered_in_the_requests_language(api):
    from rest_framework.authtoken.models import Token

    user = f.UserFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    answer = api.patch("/api/me/", {"language": "fr"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["fields"]["language"] == ["不支持的语言：fr（可选：zh-hans, en）"]

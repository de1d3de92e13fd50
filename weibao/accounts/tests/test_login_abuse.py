"""Login and API abuse (issue 11 #5): lockout after wrong passwords on the web and admin logins,
API throttles, and password rules that refuse guessable passwords."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _quick_hashes(settings):
    """Dozens of wrong passwords per test: a cheap hasher here (the lockout is what is tested;
    the production hasher's cost would make each attempt take a quarter of a second)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(**kwargs):
    from django.contrib.auth.hashers import make_password

    return f.UserFactory(password=make_password(f.PASSWORD), **kwargs)


def _login(client, path, username, password, address="10.0.0.1"):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, path):
    user = _user(is_staff=True, is_superuser=True)
    for _ in range(4):
        answer = _login(client, path, user.username, WRONG)
        assert answer.status_code == 200  # the form again, "wrong password"
    assert _login(client, path, user.username, WRONG).status_code == 429  # the 5th: locked
    refused = _login(client, path, user.username, f.PASSWORD)
    assert refused.status_code == 429
    assert "登录已锁定" in refused.content.decode()
    assert "15 分钟" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of this account (a thief cannot lock the owner out).
    assert _login(client, path, user.username, f.PASSWORD, address="10.0.0.2").status_code == 302


def test_four_wrong_passwords_then_the_right_one_logs_in_and_counting_starts_again(client):
    user = _user()
    for _ in range(4):
        _login(client, "/accounts/login/", user.username, WRONG)
    assert _login(client, "/accounts/login/", user.username, f.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "/accounts/login/", user.username, WRONG)
    assert _login(client, "/accounts/login/", user.username, f.PASSWORD).status_code == 302


def test_an_address_guessing_many_accounts_is_locked_out_for_every_account(client):
    users = [_user() for _ in range(5)]
    for user in users:  # 4 wrong passwords each: no account reaches its own limit
        for _ in range(4):
            _login(client, "/accounts/login/", user.username, WRONG)
    fresh = _user()
    assert _login(client, "/accounts/login/", fresh.username, f.PASSWORD).status_code == 429
    assert (
        _login(client, "/accounts/login/", fresh.username, f.PASSWORD, address="10.9.9.9")
    ).status_code == 302


def test_lockout_ends_after_the_cool_off_and_an_administrator_lifts_it_earlier(client):
    user = _user()
    for _ in range(5):
        _login(client, "/accounts/login/", user.username, WRONG)
    assert _login(client, "/accounts/login/", user.username, f.PASSWORD).status_code == 429
    call_command("axes_reset_username", user.username, verbosity=0)
    assert _login(client, "/accounts/login/", user.username, f.PASSWORD).status_code == 302


def test_admin_lists_failed_attempts_so_an_administrator_can_lift_a_lockout(client):
    user = _user()
    for _ in range(5):
        _login(client, "/accounts/login/", user.username, WRONG)
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/axes/accessattempt/").content.decode()
    assert user.username in page


@override_settings(WEIBAO_HTTPS=True)
def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_forwarded(client):
    user = _user()
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": user.username, "password": WRONG},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client_same_proxy = client.post(
        "/accounts/login/",
        {"username": user.username, "password": f.PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other_client_same_proxy.status_code == 302


# API throttles ----------------------------------------------------------------------------


def _rates(anon, user):
    from django.conf import settings

    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}


def test_api_answers_429_in_json_beyond_the_rate_of_an_account(api, world):
    api.force_authenticate(world.provider_user)
    with override_settings(REST_FRAMEWORK=_rates("100/minute", "3/minute")):
        for _ in range(3):
            assert api.get("/api/sites/").status_code == 200
        refused = api.get("/api/sites/")
        assert refused.status_code == 429
        assert refused["Content-Type"].startswith("application/json")
        assert refused.json()["code"] == "throttled"
        assert int(refused["Retry-After"]) > 0
        # Another account has its own allowance.
        api.force_authenticate(world.user_a)
        assert api.get("/api/sites/").status_code == 200


@override_settings(WEIBAO_API_DOCS_PUBLIC=True)
def test_api_throttles_anonymous_clients_by_address(client):
    with override_settings(REST_FRAMEWORK=_rates("2/minute", "100/minute")):
        for _ in range(2):
            assert client.get("/api/schema/", REMOTE_ADDR="10.1.1.1").status_code == 200
        refused = client.get("/api/schema/", REMOTE_ADDR="10.1.1.1")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled"
        assert client.get("/api/schema/", REMOTE_ADDR="10.1.1.2").status_code == 200


# Password rules ---------------------------------------------------------------------------


def _add_user(client, password):
    """The admin's "add user" form, as the page posts it (with its role inline)."""
    return client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": password,
            "password2": password,
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("12345678", "这个密码太常见了"),
        ("password", "这个密码太常见了"),
        ("73920581", "密码只包含数字"),
    ],
)
def test_admin_refuses_a_new_user_with_a_guessable_password(client, weak, reason):
    from weibao.accounts.models import User

    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    answer = _add_user(client, weak)
    assert answer.status_code == 200
    assert reason in answer.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    assert _add_user(client, "Lan-Qiao-7-Gate").status_code == 302
    assert User.objects.filter(username="newbie").exists()


def test_outside_demo_mode_no_account_may_be_given_the_demo_password(client, settings):
    from weibao.accounts.models import User
    from weibao.demo.build import DEMO_PASSWORD

    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    settings.WEIBAO_DEMO = False
    refused = _add_user(client, DEMO_PASSWORD)
    assert "公开的演示密码" in refused.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    settings.WEIBAO_DEMO = True
    assert _add_user(client, DEMO_PASSWORD).status_code == 302
    assert User.objects.get(username="newbie").check_password(DEMO_PASSWORD)

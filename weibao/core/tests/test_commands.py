import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def test_createtoken_prints_a_key_that_authenticates_the_api(api):
    user = f.UserFactory(username="agent7")
    out = io.StringIO()
    call_command("createtoken", "agent7", stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=user).key == key

    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").json()["username"] == "agent7"


def test_createtoken_is_stable_unless_reset():
    f.UserFactory(username="agent8")
    first, second, third = io.StringIO(), io.StringIO(), io.StringIO()
    call_command("createtoken", "agent8", stdout=first)
    call_command("createtoken", "agent8", stdout=second)
    call_command("createtoken", "agent8", "--reset", stdout=third)
    assert first.getvalue() == second.getvalue() != third.getvalue()


def test_createtoken_for_unknown_user_exits_2_and_names_the_user():
    with pytest.raises(CommandError) as error:
        call_command("createtoken", "nobody")
    assert error.value.returncode == 2
    assert "nobody" in str(error.value)
    assert not Token.objects.exists()

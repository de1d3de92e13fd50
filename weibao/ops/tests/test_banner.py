"""The banner "升级与通知已停止" on the service desk's pages while the runner is stopped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from weibao.core import due
from weibao.testing.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "升级与通知已停止"


@pytest.fixture
def ticked(frozen_clock):
    at = frozen_clock(dt.datetime(2026, 3, 2, 3, 0))
    due.run()
    return at


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_pages_say_so_when_the_last_tick_is_older_than_a_minute(client, ticked, frozen_clock):
    staff = UserFactory()
    frozen_clock(ticked + dt.timedelta(seconds=50))
    assert BANNER not in _home(client, staff)
    frozen_clock(ticked + dt.timedelta(seconds=61))
    html = _home(client, staff)
    assert BANNER in html and 'data-testid="runner-stopped"' in html
    due.run()  # the runner is back
    assert BANNER not in _home(client, staff)


def test_customers_do_not_see_it(client, ticked, frozen_clock):
    frozen_clock(ticked + dt.timedelta(minutes=5))
    assert BANNER not in _home(client, CustomerUserFactory())


def test_no_banner_on_a_database_that_never_ticked(client):
    assert BANNER not in _home(client, UserFactory())

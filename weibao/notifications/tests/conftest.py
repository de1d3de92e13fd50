"""Fixtures of the notification tests; the real SMTP and HTTP receivers live in
`weibao.testing.receivers` (loaded for every test by the root conftest)."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff(db):
    from weibao.testing.factories import UserFactory

    return UserFactory(email="duty@example.com", phone="13900000001")


@pytest.fixture
def customer_user(db):
    from weibao.testing.factories import CustomerUserFactory

    return CustomerUserFactory(email="kong@example.com", phone="13900000002")

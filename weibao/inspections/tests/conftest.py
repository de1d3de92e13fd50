"""Fixtures of the inspections tests."""

from __future__ import annotations

import datetime as dt

import pytest

from weibao.calendars import workdays

from .estate import Estate, build_estate


@pytest.fixture(autouse=True)
def checklist_templates(request):
    """Transactional tests elsewhere flush the data migrations' rows; put the default
    checklist templates back for tests that use the database."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from weibao.inspections import seed
    from weibao.inspections.models import ChecklistTemplate

    if not ChecklistTemplate.objects.exists():
        seed.load(apps)


@pytest.fixture(autouse=True)
def fresh_calendar_index():
    """Each test's database (rolled back afterwards) gets its own working-day index."""
    workdays.invalidate_index()
    yield
    workdays.invalidate_index()


@pytest.fixture
def estate(db) -> Estate:
    """Contract year 2026 (a contract starting 2026-01-01)."""
    return build_estate(start=dt.date(2026, 1, 1))

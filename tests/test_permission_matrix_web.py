"""Web parity of the permission matrix (PRM-1): a handful of actions posted as web forms by
every role. A role the API refuses (403 `permission_denied`, `tests/test_permission_matrix.py`)
is refused on the web too — 403 — and nothing changes; a role holding the capability is never
refused for permission (it may still meet a guard of state or ownership).

Cases: 5 actions × 12 roles (the 11 roles and the administrator) = 60 role × action cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from tests.test_permission_matrix import (  # noqa: F401  (fixtures)
    ROLES,
    C,
    Role,
    _complaint,
    _count,
    _onsite_l2,
    _stage,
    _visits,
    expected,
    people,
    table_world,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class WebAction:
    name: str
    path: Callable  # (world) -> URL
    data: Callable  # (world) -> form data
    capability: str
    snapshot: Callable  # (world) -> what a refused role must leave unchanged
    setup: Callable | None = None
    expect: Callable | None = None  # (role) -> bool, when a service rule narrows the matrix


def _complaint_state(w):
    w.complaint.refresh_from_db()
    return (w.complaint.state, w.complaint.first_response_at)


WEB_ACTIONS = [
    WebAction("ticket.start_phone", lambda w: f"/tickets/{w.ticket.pk}/start_phone/",
              lambda w: {"start_phone-note": ""}, C.TICKET_WORK, _stage),
    # L2: the service office manager dispatches only in L1.
    WebAction("visit.dispatch.L2", lambda w: f"/fieldservice/tickets/{w.l2.pk}/dispatch/",
              lambda w: {"engineer": w.people[Role.ENGINEER].pk}, C.TICKET_DISPATCH, _visits,
              setup=_onsite_l2,
              expect=lambda role: role != Role.SERVICE_OFFICE_MANAGER
              and expected(role, C.TICKET_DISPATCH)),
    WebAction("complaint.respond", lambda w: f"/feedback/complaints/{w.complaint.pk}/respond/",
              lambda w: {"text": "已回电致歉"}, C.COMPLAINT_HANDLE, _complaint_state,
              setup=_complaint),
    WebAction("drill.record", lambda w: f"/emergency/sites/{w.site_a.pk}/drills/",
              lambda w: {"held_on": "2026-03-05", "scenario": "核心光缆中断",
                         "participants": "李工程师", "outcome": "achieved"},
              C.EMERGENCY_PLAN_EDIT, _count("emergency.Drill")),
    WebAction("report.generate", lambda w: f"/reports/contracts/{w.contract_a.pk}/generate/",
              lambda w: {"period": "quarter|2026-01-01", "recurring_threshold": "3"},
              C.REPORT_GENERATE, _count("reporting.AnalysisReport")),
]  # fmt: skip


def web_outcome(action: WebAction, world, user) -> tuple[int, bool]:
    client = Client()
    client.force_login(user)
    with transaction.atomic():
        before = action.snapshot(world)
        response = client.post(action.path(world), action.data(world))
        changed = action.snapshot(world) != before
        transaction.set_rollback(True)
    return response.status_code, changed


@pytest.mark.parametrize("action", WEB_ACTIONS, ids=[a.name for a in WEB_ACTIONS])
def test_the_web_refuses_whom_the_api_refuses(action, table_world, people):  # noqa: F811
    if action.setup:
        action.setup(table_world)
    mismatches = []
    for role in ROLES:
        status, changed = web_outcome(action, table_world, people[role])
        allowed = action.expect(role) if action.expect else expected(role, action.capability)
        if allowed and (status == 403 or status >= 500):
            mismatches.append(f"{role}: holds {action.capability} but got {status}")
        elif not allowed and (status != 403 or changed):
            mismatches.append(f"{role}: expected 403, got {status} (changed: {changed})")
    assert not mismatches, f"{action.name} ({action.capability}):\n" + "\n".join(mismatches)

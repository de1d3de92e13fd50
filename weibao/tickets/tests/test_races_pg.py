"""Races on tickets with real threads on PostgreSQL (issue 11 #8): two people resolving one
ticket at the same moment — one resolution, the other told it is already resolved; several
agents opening tickets at the same moment — each ticket its own number, nobody sees a 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from weibao.accounts.choices import Role
from weibao.core.selectors import history_for
from weibao.testing import factories as f
from weibao.testing.races import in_parallel, needs_postgres
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    needs_postgres()


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_two_people_resolving_one_ticket_at_once_resolve_it_once(desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    cause = ResolutionCause.objects.get(code="power")
    people = [desk.engineer, desk.manager]
    url = f"/api/tickets/{ticket.pk}/move/"

    def resolve(n):
        body = {"action": "resolve", "cause": cause.pk, "fix": f"更换 UPS 电池（{n}）"}
        response = _client(people[n]).post(url, body, format="json")
        return response.status_code, response.json()

    answers = in_parallel(2, resolve)

    assert sorted(status for status, _ in answers) == [200, 409], answers
    [(_, refusal)] = [answer for answer in answers if answer[0] == 409]
    assert refusal["code"] == "wrong_state"
    [winner] = [n for n, (status, _) in enumerate(answers) if status == 200]
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.fix) == ("resolved", f"更换 UPS 电池（{winner}）")
    resolutions = [
        event for event in history_for(ticket) if (event.changes or {}).get("verb") == "resolve"
    ]
    assert len(resolutions) == 1
    assert resolutions[0].actor == people[winner]


def test_four_agents_opening_tickets_at_once_get_four_numbers(desk):
    agents = [desk.agent] + [
        f.UserFactory(provider=desk.agent.provider, roles=[Role.SUPPORT_AGENT]) for _ in range(3)
    ]
    body = {
        "site": desk.site.pk, "channel": "phone", "level": "L3", "fault_phenomenon": "摄像机无图像",
        "contact_name": "钱值班员", "contact_phone": "13900000002",
    }  # fmt: skip

    def open_one(n):
        response = _client(agents[n]).post("/api/tickets/", body, format="json")
        return response.status_code, response.json()

    answers = in_parallel(4, open_one)

    assert [status for status, _ in answers] == [201] * 4, answers
    numbers = [data["number"] for _, data in answers]
    assert len(set(numbers)) == 4 and all(numbers)
    assert sorted(Ticket.objects.values_list("number", flat=True)) == sorted(numbers)

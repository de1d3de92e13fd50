"""Who may do what on a ticket (PRM-1), checked once in the services: through the API and the
web a role without the capability gets 403 and nothing changes."""

import pytest

from weibao.accounts.choices import Role
from weibao.core.models import ChangeLog
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(desk):
    from weibao.testing import factories as f

    return f.UserFactory(username="keeper", provider=desk.engineer.provider,
                         roles=[Role.SPARE_KEEPER])  # fmt: skip


def _snapshot(ticket):
    ticket = Ticket.objects.get(pk=ticket.pk)
    clocks = sorted(ticket.clocks.values_list("kind", "state", "due_at", "met_at"))
    return (ticket.stage, ticket.level, ticket.remote_consent_at, ticket.assigned_engineer_id,
            clocks, ticket.callbacks.count(), ChangeLog.objects.count())  # fmt: skip


def _phone(desk, level="L2"):
    ticket = desk.open(level=level)
    services.move(ticket, "start_phone", actor=desk.agent)
    return ticket


def _resolved(desk):
    ticket = _phone(desk)
    cause = ResolutionCause.objects.get(code="configuration")
    return services.resolve(ticket, cause=cause, fix="改正配置", actor=desk.agent)


# (who, how to prepare the ticket, API path, API body, web verb, web data, capability)
CASES = [
    ("account", _phone, "move/", {"action": "resolve", "cause": 1, "fix": "x"}, "resolve",
     {"resolve-fix": "x"}, "ticket.work"),
    ("keeper", _phone, "consent/", {"by": "孔工", "method": "phone"}, "consent",
     {"consent-by": "孔工", "consent-method": "phone"}, "ticket.work"),
    ("account", _phone, "pause/", {"reason": "等待客户"}, "pause",
     {"pause-reason": "等待客户"}, "ticket.work"),
    ("account", _phone, "level/", {"level": "L1", "reason": "全网中断"}, "level",
     {"level-level": "L1", "level-reason": "全网中断"}, "ticket.classify"),
    ("keeper", _resolved, "callback/", {"satisfied": True, "score": 5}, "callback",
     {"callback-satisfied": "yes", "callback-score": "5"}, "ticket.callback"),
    ("engineer", _resolved, "callback/", {"satisfied": True, "score": 5}, "callback",
     {"callback-satisfied": "yes", "callback-score": "5"}, "ticket.callback"),
    ("manager", _resolved, "move/", {"action": "close"}, "close", {}, "ticket.callback"),
    ("customer", _phone, "move/", {"action": "go_onsite"}, "go_onsite", {}, "ticket.work"),
]  # fmt: skip


def _who(name, desk, keeper, world_user):
    return {"keeper": keeper, "customer": world_user}.get(name) or getattr(desk, name)


@pytest.mark.parametrize(("who", "prepare", "path", "body", "verb", "form", "capability"), CASES)
def test_a_role_without_the_capability_gets_403_in_api_and_web_and_nothing_changes(
    api, client, desk, keeper, who, prepare, path, body, verb, form, capability
):
    from weibao.testing import factories as f

    customer_user = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    actor = _who(who, desk, keeper, customer_user)
    ticket = prepare(desk)
    before = _snapshot(ticket)

    api.force_authenticate(actor)
    response = api.post(f"/api/tickets/{ticket.pk}/{path}", body, format="json")
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert capability in response.json()["message"]
    assert _snapshot(ticket) == before

    client.force_login(actor)
    response = client.post(f"/tickets/{ticket.pk}/{verb}/", form)
    assert response.status_code == 403
    assert _snapshot(ticket) == before


def test_customer_cannot_open_for_another_customer_and_provider_without_open_gets_403(
    api, desk, keeper
):
    api.force_authenticate(keeper)
    response = api.post(
        "/api/tickets/",
        {"site": desk.site.pk, "level": "L3", "fault_phenomenon": "x", "contact_name": "a",
         "contact_phone": "1", "channel": "phone"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_engineer_works_only_their_own_tickets(api, client, desk):
    from weibao.testing import factories as f

    other = f.UserFactory(username="li", provider=desk.engineer.provider, roles=[Role.ENGINEER])
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)  # takes the unassigned ticket
    ticket.refresh_from_db()
    assert ticket.assigned_engineer == desk.engineer
    before = _snapshot(ticket)

    api.force_authenticate(other)
    response = api.post(f"/api/tickets/{ticket.pk}/consent/", {"by": "孔", "method": "phone"},
                        format="json")  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    response = api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "go_onsite"},
                        format="json")  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (403, "not_assigned")
    moves = api.get(f"/api/tickets/{ticket.pk}/").json()["moves"]
    assert moves["allowed"] == []
    assert {b["code"] for b in moves["blocked"]} == {"not_assigned"}
    client.force_login(other)
    assert client.post(f"/tickets/{ticket.pk}/pause/", {"pause-reason": "x"}).status_code == 403
    assert _snapshot(ticket) == before

    # an engineer who is also the maintenance manager may work any ticket
    other.role_assignments.create(role=Role.MAINTENANCE_MANAGER)
    other = type(other).objects.get(pk=other.pk)
    api.force_authenticate(other)
    response = api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "go_onsite"},
                        format="json")  # fmt: skip
    assert response.status_code == 200, response.json()


def test_ticket_page_shows_only_the_moves_the_user_may_make(client, desk):
    ticket = _phone(desk)
    client.force_login(desk.account)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-move="go_onsite"' not in page
    assert "level-form" not in page
    client.force_login(desk.agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-move="go_onsite"' in page
    assert "resolve-form" in page


def test_emergency_actions_by_their_owner_role_or_the_manager_only(api, client, desk, keeper):
    ticket = desk.open(level="L1")
    url = f"/api/tickets/{ticket.pk}/emergency-actions/form_expert_team/done/"
    api.force_authenticate(desk.engineer)  # the center head's action
    response = api.post(url, {"note": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    client.force_login(keeper)
    waive = f"/tickets/{ticket.pk}/action_waive/"
    assert client.post(waive, {"code": "leadership_debrief", "reason": "x"}).status_code == 403
    api.force_authenticate(desk.agent)
    response = api.post(f"/api/tickets/{ticket.pk}/emergency-actions/leadership_debrief/waive/",
                        {"reason": "客户不需要"}, format="json")  # fmt: skip
    assert response.status_code == 403
    assert not ticket.emergency_actions.filter(done_at__isnull=False).exists()
    assert not ticket.emergency_actions.exclude(waived_reason="").exists()

    api.force_authenticate(desk.head)
    assert api.post(url, {"note": "专家组已成立"}, format="json").status_code == 200
    api.force_authenticate(desk.manager)  # the manager completes any action
    url = f"/api/tickets/{ticket.pk}/emergency-actions/expert_remote/done/"
    assert api.post(url, {"note": "已远程"}, format="json").status_code == 200

"""Customer-safe views (issue 12 #5): a customer's user opens every page and API answer about
their request — the portal list, the ticket page, the ticket in the API (list and detail), its
notes and its timeline, the site's archive (客户档案) and their organisation's page — for an L1
ticket whose ladder fired, with emergency actions, an internal note, an administrator's entries
and audit rows, and finds none of the provider's inside: no internal note, no ladder, no
emergency action, no staff user name or full name. They do find their status, the engineer by
role ("维护工程师 李工"), the ETA and the replies."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.escalations.runner import tick
from weibao.fieldservice import services as fieldservice
from weibao.testing import factories as f
from weibao.tickets import services
from weibao.tickets.services import notes

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "内部：怀疑客户自行改过配置，勿告知"
REPLY = "工程师已出发，预计一小时内到场"


@pytest.fixture
def story(desk, frozen_clock):
    """An L1 ticket with its ladder fired, emergency actions, an internal note, a reply, an
    administrator's pause and a dispatch; and the customer's user."""
    names = {
        desk.agent: ("zhang.agent", "张坐席"),
        desk.engineer: ("li.engineer", "李建国"),
        desk.manager: ("wang.manager", "王立新"),
    }
    for person, (username, full_name) in names.items():
        person.username, person.full_name = username, full_name
        person.save(update_fields=["username", "full_name"])
    admin = f.UserFactory(
        provider=desk.customer.provider,
        username="sysadmin",
        full_name="系统管理员",
        is_superuser=True,
        is_staff=True,
    )
    ticket = desk.open(level="L1", fault_phenomenon="全网业务中断")
    first = min(ticket.escalation_steps.values_list("after_minutes", flat=True))
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=first + 1))
    tick(deliver=False)
    notes.add_note(ticket, actor=desk.agent, body=INTERNAL_NOTE)
    services.pause(ticket, reason="管理员暂停：等待备件", actor=admin)
    services.resume(ticket, actor=admin)
    fieldservice.dispatch(ticket, engineer=desk.engineer, actor=desk.manager)
    notes.add_note(ticket, actor=admin, body=REPLY, visibility="public")
    customer = f.CustomerUserFactory(
        customer=desk.customer, username="qian", full_name="钱值班员", roles=[Role.CUSTOMER_STAFF]
    )
    ticket.refresh_from_db()
    return ticket, customer, admin


def _inside(ticket, admin, desk) -> list[str]:
    """What the customer must never read about this ticket."""
    fired = [s for s in ticket.escalation_steps.all() if s.fired_at]
    actions = list(ticket.emergency_actions.all())
    assert fired and actions  # the story really has a fired ladder and emergency actions
    people = [desk.agent, desk.engineer, desk.manager, admin]
    return [
        INTERNAL_NOTE,
        "管理员暂停",
        "升级流程",
        "升级：报告后",
        "应急行动",
        *{a.label for a in actions},
        *{str(s.get_target_display()) for s in fired} - {str(r.label) for r in Role},
        *[p.username for p in people],
        *[p.full_name for p in people],
        "系统管理员",
        "个字段",
        'data-testid="audit"',
        'data-testid="ladder"',
    ]


def _customer_answers(client, api, ticket, customer) -> dict[str, str]:
    client.force_login(customer)
    api.force_authenticate(customer)
    answers = {
        "portal list": client.get("/tickets/"),
        "ticket page": client.get(f"/tickets/{ticket.pk}/"),
        "API list": api.get("/api/tickets/"),
        "API detail": api.get(f"/api/tickets/{ticket.pk}/"),
        "API notes": api.get(f"/api/tickets/{ticket.pk}/notes/"),
        "API timeline": api.get(f"/api/tickets/{ticket.pk}/timeline/"),
        "site archive": client.get(f"/sites/{ticket.site_id}/"),
        "customer page": client.get(f"/customers/{ticket.customer_id}/"),
    }
    for name, response in answers.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in answers.items()}


def test_a_customer_reads_nothing_of_the_providers_inside(client, api, desk, story):
    ticket, customer, admin = story
    forbidden = _inside(ticket, admin, desk)

    answers = _customer_answers(client, api, ticket, customer)

    for name, text in answers.items():
        found = [s for s in forbidden if s in text]
        assert not found, f"{name} shows {found}"


def test_a_customer_reads_status_engineer_eta_and_replies(client, api, desk, story):
    ticket, customer, _admin = story

    answers = _customer_answers(client, api, ticket, customer)

    page = answers["ticket page"]
    assert ticket.get_stage_display() in page
    assert "维护工程师 李工" in page and 'data-testid="ticket-eta"' in page
    assert REPLY in page and "已派工 维护工程师 李工，预计到达" in page
    detail = api.get(f"/api/tickets/{ticket.pk}/").json()
    assert detail["escalations"] == [] and detail["emergency_actions"] == []
    assert detail["engineer_name"] == "维护工程师 李工" and detail["eta"]
    assert [n["body"] for n in api.get(f"/api/tickets/{ticket.pk}/notes/").json()] == [REPLY]


def test_the_provider_still_reads_everything(client, api, desk, story):
    ticket, _customer, _admin = story
    client.force_login(desk.agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert INTERNAL_NOTE in page and 'data-testid="ladder"' in page and "升级：报告后" in page
    api.force_authenticate(desk.agent)
    detail = api.get(f"/api/tickets/{ticket.pk}/").json()
    assert detail["escalations"] and detail["emergency_actions"]
    assert detail["engineer_name"] == "李建国"
    archive = client.get(f"/sites/{ticket.site_id}/").content.decode()
    assert "升级" in archive and "李建国" in archive

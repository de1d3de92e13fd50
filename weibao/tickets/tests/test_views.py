"""Ticket screens: queue order, portal isolation, actions through the web with clear errors."""

import datetime as dt

import pytest

from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_queue_is_sorted_by_nearest_deadline(client, desk):
    l3 = desk.open(level="L3", fault_phenomenon="摄像机无图像")
    l1 = desk.open(level="L1", fault_phenomenon="全网无数据")
    client.force_login(desk.agent)
    page = client.get("/tickets/").content.decode()
    assert page.index(l1.number) < page.index(l3.number)
    assert "一级故障处理中" in page  # the L1 banner


def test_agent_opens_a_ticket_from_the_web_form(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        "/tickets/new/",
        {
            "customer": desk.customer.pk,
            "site": desk.site.pk,
            "channel": "phone",
            "request_type": "fault",
            "level": "L2",
            "fault_phenomenon": "部分端局不通",
            "reported_at": "2026-03-02T02:40",
            "late_reason": "现场来电，回到座位后补录",
            "contact_name": "钱",
            "contact_phone": "139",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == f"/tickets/{ticket.pk}/"
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert ticket.reported_at == dt.datetime(2026, 3, 2, 2, 40, tzinfo=shanghai)


def test_web_form_shows_the_field_error_for_a_future_call(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        "/tickets/new/",
        {"customer": desk.customer.pk, "site": desk.site.pk, "channel": "phone",
         "request_type": "fault", "level": "L2", "fault_phenomenon": "x",
         "reported_at": "2026-03-02T05:00", "contact_name": "钱", "contact_phone": "139"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "报告时间不能晚于当前时间" in response.content.decode()
    assert not Ticket.objects.exists()


def test_refused_move_in_the_web_shows_why(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.engineer)
    client.post(f"/tickets/{ticket.pk}/start_phone/")
    response = client.post(f"/tickets/{ticket.pk}/go_remote/", follow=True)
    assert "转远程支持前必须记录客户的同意" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.stage == "phone_support"


def test_customer_sees_own_requests_only_and_cannot_act(client, desk, world):
    own = desk.open(level="L3")
    client.force_login(world.user_a)
    assert client.get(f"/tickets/{own.pk}/").status_code == 404
    assert own.number not in client.get("/tickets/").content.decode()
    client.force_login(world.provider_user)
    assert client.get(f"/tickets/{own.pk}/").status_code == 200


def test_customer_portal_form_opens_a_request_for_their_site(client, world):
    client.force_login(world.user_a)
    response = client.post(
        "/tickets/new/",
        {"site": world.site_a.pk, "request_type": "fault", "level": "L3",
         "fault_phenomenon": "摄像机无图像", "contact_name": "值班", "contact_phone": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.customer, ticket.channel) == (world.customer_a, "portal")
    assert client.post(f"/tickets/{ticket.pk}/resolve/").status_code == 403


def test_customer_sees_no_flow_actions_on_their_ticket(client, desk):
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    ticket = desk.open(level="L3")
    user = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    client.force_login(user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="ticket-actions"' not in page
    assert "data-move" not in page and "dispatch-form" not in page


def test_ticket_page_dispatches_through_field_service(client, desk):
    from django.urls import reverse

    from weibao.tickets import services

    ticket = desk.open(level="L2")
    client.force_login(desk.manager)
    form = f'action="{reverse("fieldservice:dispatch", args=[ticket.pk])}"'
    # dispatch is offered once the customer confirmed on-site support (state-aware buttons)
    assert form not in client.get(f"/tickets/{ticket.pk}/").content.decode()
    services.move(ticket, "start_phone", actor=desk.agent)
    services.move(ticket, "go_onsite", actor=desk.agent)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert form in page
    assert "工程师已到场" not in page
    assert client.post(f"/tickets/{ticket.pk}/arrive/").status_code == 404
    assert client.post(f"/tickets/{ticket.pk}/dispatch/").status_code == 404


def test_ticket_page_renders_for_every_role_at_every_step(client, desk):
    from weibao.tickets import services
    from weibao.tickets.models import ResolutionCause

    l1 = desk.open(level="L1")
    open_l2 = desk.open(level="L2")
    services.move(open_l2, "start_phone", actor=desk.agent)
    resolved = desk.open(level="L3")
    services.move(resolved, "start_phone", actor=desk.agent)
    cause = ResolutionCause.objects.get(code="environment")
    services.resolve(resolved, cause=cause, fix="清理机房灰尘", actor=desk.agent)
    closed = desk.open(level="L3")
    services.move(closed, "start_phone", actor=desk.agent)
    services.resolve(closed, cause=cause, fix="降温", actor=desk.agent)
    services.record_callback(closed, satisfied=True, score=5, actor=desk.agent)
    expected = {
        (desk.agent, resolved): "callback-form",
        (desk.agent, closed): "reclassify-form",
        (desk.manager, l1): "dispatch-form",
        (desk.agent, l1): "pause-form",  # its phone clock runs
        (desk.agent, open_l2): "consent-form",  # on the phone, no consent yet
    }
    for person in (desk.agent, desk.engineer, desk.manager, desk.account, desk.office):
        client.force_login(person)
        for ticket in (l1, open_l2, resolved, closed):
            response = client.get(f"/tickets/{ticket.pk}/")
            assert response.status_code == 200
            if (person, ticket) in expected:
                assert expected[(person, ticket)] in response.content.decode()
    client.force_login(desk.account)
    assert "callback-form" in client.get(f"/tickets/{resolved.pk}/").content.decode()
    assert "清理机房灰尘" in client.get(f"/tickets/{resolved.pk}/").content.decode()

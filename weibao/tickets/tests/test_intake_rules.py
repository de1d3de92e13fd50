"""The rules of opening a request live in `open_ticket` (issue 10 #3): whatever the interface,
a customer's request is theirs, by portal, at the server's time; staff give channel and time."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.tickets import services
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db

EARLIER = "2026-03-02T01:00:00+08:00"


def test_customer_api_request_ignores_the_sent_channel_and_backdated_time(api, desk):
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    user = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    api.force_authenticate(user)
    response = api.post(
        "/api/tickets/",
        {"site": desk.site.pk, "level": "L3", "fault_phenomenon": "摄像机无图像",
         "contact_name": "值班", "contact_phone": "1", "channel": "phone",
         "reported_at": EARLIER},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.reported_at) == ("portal", clock.now())
    assert ticket.customer == desk.customer


def test_customer_web_request_is_at_server_time_whatever_was_posted(client, desk):
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    user = f.CustomerUserFactory(customer=desk.customer, roles=[Role.CUSTOMER_STAFF])
    client.force_login(user)
    response = client.post(
        "/tickets/new/",
        {"site": desk.site.pk, "request_type": "fault", "level": "L3", "channel": "fax",
         "reported_at": "2026-03-01T08:00", "fault_phenomenon": "x", "contact_name": "a",
         "contact_phone": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.reported_at) == ("portal", clock.now())


def test_staff_request_takes_the_customer_from_the_site_and_keeps_the_call_time(desk):
    reported = clock.now() - dt.timedelta(minutes=40)
    ticket = services.open_ticket(
        actor=desk.agent, site=desk.site, channel="phone", level="L2", reported_at=reported,
        fault_phenomenon="部分端局不通", contact_name="钱", contact_phone="139",
        late_reason="先处理一级故障，后补录",
    )  # fmt: skip
    assert (ticket.customer, ticket.channel, ticket.reported_at) == (
        desk.customer,
        "phone",
        reported,
    )


def test_staff_request_without_customer_or_site_is_refused_at_the_customer_field(desk):
    from weibao.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.open_ticket(actor=desk.agent, channel="phone", level="L2",
                             fault_phenomenon="x", contact_name="a", contact_phone="1")  # fmt: skip
    assert error.value.field == "customer"
    assert not Ticket.objects.exists()


def test_new_ticket_form_keeps_what_was_typed_when_refused(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        "/tickets/new/",
        {"customer": desk.customer.pk, "site": desk.site.pk, "channel": "phone",
         "request_type": "fault", "level": "", "fault_phenomenon": "监控中心看不到数据",
         "contact_name": "钱值班", "contact_phone": "13900000002"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "故障工单必须选择故障级别" in page
    assert "监控中心看不到数据" in page and "钱值班" in page and "13900000002" in page
    assert not Ticket.objects.exists()


def test_api_has_no_ticket_dispatch_or_arrive_any_more(api, desk):
    ticket = desk.open(level="L2")
    api.force_authenticate(desk.manager)
    for path in ("dispatch", "arrive"):
        response = api.post(f"/api/tickets/{ticket.pk}/{path}/", {"engineer": desk.engineer.pk})
        assert response.status_code == 404
    assert not ticket.clocks.filter(met_at__isnull=False).exists()

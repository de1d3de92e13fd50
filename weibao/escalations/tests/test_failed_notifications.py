"""A notification that fails for good tells the provider's duty manager (the maintenance
manager for that customer) and shows on its ticket (ESC-1: nobody left unaware)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from weibao.notifications.choices import EndpointKind, NotificationKind, State
from weibao.notifications.delivery import deliver_due, max_attempts
from weibao.notifications.models import Notification
from weibao.notifications.selectors import failures_for_ticket
from weibao.notifications.services import notify, retry_now

pytestmark = pytest.mark.django_db


def fail_for_good(frozen_clock, notification, start=dt.datetime(2026, 3, 2, 12, 0)):
    now = frozen_clock(start)
    for _ in range(max_attempts()):
        deliver_due()
        now += dt.timedelta(hours=1)
        frozen_clock(now)
    notification.refresh_from_db()
    assert notification.state == State.FAILED


@pytest.fixture
def failing_sms(desk, receiver, endpoint_factory):
    """An L2 ticket whose engineer is told by SMS through a gateway that is down."""
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    receiver.respond("/sms", 503, "gateway down")
    desk.engineer.email, desk.engineer.phone = "", "13900000009"
    desk.engineer.save()
    ticket = desk.open(level="L2")
    [sms] = notify(
        recipients=[desk.engineer],
        subject=f"工单 {ticket.number}",
        body="请回电",
        kind=NotificationKind.ESCALATION,
        dedupe_key=f"test:{ticket.pk}",
        customer=desk.customer,
        ref_type="ticket",
        ref_id=str(ticket.pk),
    )
    return ticket, sms


def test_failed_for_good_tells_the_duty_manager(desk, frozen_clock, failing_sms):
    ticket, sms = failing_sms
    fail_for_good(frozen_clock, sms)
    notice = Notification.objects.filter(dedupe_key=f"notification:{sms.pk}:failed")
    assert {n.recipient for n in notice} == {desk.manager}
    [mail] = notice
    assert mail.kind == NotificationKind.DELIVERY_FAILED
    assert (mail.ref_type, mail.ref_id) == ("ticket", str(ticket.pk))
    assert "13900000009" in mail.body and "gateway down" in mail.body


def test_a_retried_failure_does_not_tell_twice(desk, frozen_clock, failing_sms):
    _ticket, sms = failing_sms
    fail_for_good(frozen_clock, sms)
    retry_now(sms, actor=desk.manager)
    fail_for_good(frozen_clock, sms, start=dt.datetime(2026, 3, 3, 12, 0))
    assert Notification.objects.filter(dedupe_key=f"notification:{sms.pk}:failed").count() == 1


def test_failed_notifications_show_on_the_ticket_for_staff_only(
    desk, frozen_clock, failing_sms, rf
):
    from weibao.testing.factories import CustomerUserFactory

    ticket, sms = failing_sms
    fail_for_good(frozen_clock, sms)
    assert failures_for_ticket(ticket, desk.manager) == [sms]
    request = rf.get(f"/tickets/{ticket.pk}/")
    request.user = desk.manager
    html = render_to_string(
        "notifications/_ticket_failures.html", {"ticket": ticket}, request=request
    )
    assert f'data-failed-notification="{sms.pk}"' in html and "gateway down" in html
    request.user = CustomerUserFactory(customer=desk.customer)
    html = render_to_string(
        "notifications/_ticket_failures.html", {"ticket": ticket}, request=request
    )
    assert "data-failed-notification" not in html


def test_a_tickets_failed_notifications_through_the_api(desk, frozen_clock, failing_sms, api):
    ticket, sms = failing_sms
    fail_for_good(frozen_clock, sms)
    api.force_authenticate(desk.manager)
    response = api.get(
        "/api/notifications/", {"ref_type": "ticket", "ref_id": ticket.pk, "state": "failed"}
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [sms.pk]

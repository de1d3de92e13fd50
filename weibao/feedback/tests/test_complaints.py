"""Complaints (OTH-5): owned by the account manager, a first-response deadline from the
policy with one breach notice, closed only on the customer's confirmation, in the archive."""

import datetime as dt

import pytest

from weibao.contracts.models import ContractPolicy
from weibao.core import due
from weibao.core.errors import DomainError
from weibao.core.selectors import archive_for_site
from weibao.feedback import services, tasks
from weibao.feedback.choices import ComplaintState
from weibao.feedback.models import Complaint
from weibao.notifications.models import Notification
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def complain(desk, **extra):
    values = {"customer": desk.customer, "site": desk.site, "channel": "phone",
              "text": "工程师迟迟未到现场", "complainant": "孔工", "actor": desk.agent,
              **extra}  # fmt: skip
    return services.record_complaint(**values)


def test_complaint_is_owned_by_the_account_manager_with_the_policy_deadline(desk):
    ContractPolicy.objects.filter(contract=desk.contract).update(complaint_response_minutes=120)
    complaint = complain(desk)
    assert complaint.owner == desk.account
    assert complaint.response_minutes == 120
    assert complaint.respond_due_at - complaint.received_at == dt.timedelta(hours=2)
    assert complaint.number.startswith("TS") and complaint.state == ComplaintState.OPEN
    assert Notification.objects.filter(recipient=desk.account, kind="complaint_received")


def test_without_a_contract_the_default_term_of_a_day_applies(desk):
    customer = f.CustomerFactory(provider=desk.customer.provider)
    complaint = services.record_complaint(
        customer=customer, channel="email", text="发票开错", actor=desk.agent
    )
    assert complaint.response_minutes == 1440


def test_first_response_breach_fires_once_through_the_scheduler(desk, frozen_clock):
    complaint = complain(desk)
    assert "feedback.complaint_first_response" in [s.name for s in due.sources()]
    before = frozen_clock(complaint.respond_due_at - dt.timedelta(minutes=1))
    assert due.drain(tasks.flag_late_first_responses, now=before, batch=10) == 0

    after = frozen_clock(complaint.respond_due_at + dt.timedelta(minutes=5))
    fired = due.drain(tasks.flag_late_first_responses, now=after, batch=10)
    again = due.drain(tasks.flag_late_first_responses, now=after + dt.timedelta(hours=1), batch=10)

    assert (fired, again) == (1, 0)
    complaint.refresh_from_db()
    assert complaint.response_breached_at == complaint.respond_due_at
    told = Notification.objects.filter(dedupe_key=f"complaint:{complaint.pk}:response_breach")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["account", "gm"]
    breaches = [e for e in archive_for_site(desk.site) if e.kind == "complaint.breach"]
    assert len(breaches) == 1


def test_a_complaint_answered_in_time_never_breaches(desk, frozen_clock):
    complaint = complain(desk)
    services.respond_to_complaint(complaint, text="已致电孔工说明到场时间", actor=desk.account)
    later = frozen_clock(complaint.respond_due_at + dt.timedelta(days=1))
    assert due.drain(tasks.flag_late_first_responses, now=later, batch=10) == 0


def test_the_scheduler_works_in_batches(desk, frozen_clock):
    for _ in range(3):
        complain(desk)
    later = frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    assert due.drain(tasks.flag_late_first_responses, now=later, batch=2) == 3


def test_complaint_cannot_close_before_the_customer_confirms(desk, client_user):
    complaint = complain(desk)
    with pytest.raises(DomainError) as refused:
        services.confirm_complaint(complaint, method="phone", confirmed_by="孔工", actor=desk.agent)
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)
    with pytest.raises(DomainError) as refused:
        services.resolve_complaint(complaint, resolution="已处理", actor=desk.account)
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)

    services.respond_to_complaint(complaint, text="已致歉并说明原因", actor=desk.account)
    complaint = services.resolve_complaint(complaint, resolution="调整派工流程", actor=desk.account)
    assert complaint.state == ComplaintState.RESOLVED and not complaint.is_closed

    with pytest.raises(DomainError) as refused:
        services.confirm_complaint(complaint, actor=desk.agent)  # no word from the customer
    assert refused.value.field == "method"
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RESOLVED

    closed = services.confirm_complaint(complaint, note="满意", actor=client_user)
    assert closed.state == ComplaintState.CLOSED
    assert (closed.confirmation_method, closed.confirmed_by_name) == ("portal", "钱值班员")


def test_agent_records_the_customers_confirmation_with_how_it_was_given(desk):
    complaint = complain(desk)
    services.respond_to_complaint(complaint, text="已回电", actor=desk.account)
    services.resolve_complaint(complaint, resolution="已处理", actor=desk.account)
    closed = services.confirm_complaint(
        complaint, method="phone", confirmed_by="孔工", note="电话确认", actor=desk.agent
    )
    assert closed.is_closed and closed.get_confirmation_method_display() == "电话"
    assert closed.confirmation_recorded_by == desk.agent


def test_customer_declines_and_it_goes_back_to_the_account_manager(desk, client_user):
    complaint = complain(desk)
    services.respond_to_complaint(complaint, text="已回电", actor=desk.account)
    services.resolve_complaint(complaint, resolution="已处理", actor=desk.account)
    back = services.decline_resolution(complaint, reason="仍然没人来", actor=client_user)
    assert back.state == ComplaintState.RESPONDED and back.resolved_at is None
    assert Notification.objects.filter(recipient=desk.account, kind="complaint_declined")


def test_customers_cannot_respond_or_resolve(desk, client_user):
    complaint = complain(desk)
    with pytest.raises(DomainError):
        services.respond_to_complaint(complaint, text="自己回复", actor=client_user)


def test_customer_complains_for_their_own_organisation_only(desk, client_user, world):
    complaint = services.record_complaint(
        customer=desk.customer, channel="", text="报修电话占线", actor=client_user
    )
    assert complaint.channel == "portal" and complaint.complainant == "钱值班员"
    with pytest.raises(DomainError):
        services.record_complaint(customer=world.customer_a, channel="", text="x",
                                  actor=client_user)  # fmt: skip


def test_the_site_and_ticket_must_be_the_customers(desk, world):
    with pytest.raises(DomainError) as refused:
        complain(desk, site=world.site_a)
    assert refused.value.field == "site"


def test_complaint_is_in_the_customer_archive_of_its_site(desk):
    ticket = desk.open(level="L3")
    complaint = complain(desk, site=None, ticket=ticket)
    assert complaint.site == desk.site
    entries = [e for e in archive_for_site(desk.site) if e.object_repr == complaint.number]
    assert {e.kind for e in entries} >= {"complaint", "complaint.received"}


def test_a_complaint_received_in_year_1_is_refused_on_its_field(desk):
    with pytest.raises(DomainError) as refused:
        complain(desk, received_at=dt.datetime(1, 1, 2, 9, tzinfo=dt.UTC))
    assert refused.value.field == "received_at"
    assert not Complaint.objects.exists()

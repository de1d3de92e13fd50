"""The 15-minute L1 notice rings the centre's head and the maintenance manager (ESC-5), and
goes up when one of them cannot be reached (ESC-1)."""

import pytest

from weibao.accounts.models import RoleAssignment
from weibao.core import clock
from weibao.escalations.notices import send_l1_notice
from weibao.escalations.selectors import redirects_for
from weibao.notifications.choices import Channel, EndpointKind, NotificationKind
from weibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def voice(endpoint_factory):
    return endpoint_factory(
        EndpointKind.VOICE_GATEWAY, "/voice", access_key_id="id", secret="s", template_id="T1"
    )


def test_head_and_manager_get_a_call_and_a_mail(desk, voice):
    for user, phone in ((desk.head, "13900000021"), (desk.manager, "13900000022")):
        user.phone = phone
        user.save()
    ticket = desk.open(level="L2")
    judged = clock.now()
    send_l1_notice(ticket, at=judged)
    rows = Notification.objects.filter(kind=NotificationKind.L1_NOTICE)
    calls = {(n.recipient, n.address) for n in rows if n.channel == Channel.VOICE}
    assert calls == {(desk.head, "13900000021"), (desk.manager, "13900000022")}
    assert {n.recipient for n in rows if n.channel == Channel.EMAIL} == {desk.head, desk.manager}
    count = rows.count()
    send_l1_notice(ticket, at=judged)  # the same judgement again: nothing more
    assert rows.count() == count == 4  # 2 calls and 2 mails
    assert redirects_for(ticket) == []


def test_no_centre_head_goes_to_the_manager_and_is_shown(desk, voice):
    RoleAssignment.objects.filter(user=desk.head).delete()
    ticket = desk.open(level="L2")
    send_l1_notice(ticket, at=clock.now())
    [redirect] = redirects_for(ticket)
    assert (redirect.asked, redirect.reached) == ("center_head", "maintenance_manager")
    assert "无人可通知" in redirect.message

"""Which events a customer's user reads, declared once per kind by the app that owns it and
read by histories, archives and the ticket's timeline alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from weibao.core import event_kinds
from weibao.core.audit import record_event
from weibao.core.event_kinds import EventKind
from weibao.core.selectors import archive_for_site, history_for
from weibao.testing import factories as f


@pytest.mark.django_db
def test_a_customer_reads_the_archive_without_the_providers_inside(desk):
    site = desk.site
    record_event(site, kind="plan.executed", message="技术方案已实施：更换 UPS 电池组")
    record_event(site, kind="sites.data_repair", message="合并重复机房编码")
    record_event(site, kind="ticket.escalation", message="升级通知：值班主管")
    record_event(site, kind="notification", message="短信已发送")
    customer = f.CustomerUserFactory(customer=desk.customer, username="site-reader")

    read = [entry.message for entry in archive_for_site(site, reader=customer)]
    assert read == ["技术方案已实施：更换 UPS 电池组"]
    assert [e.message for e in history_for(site, reader=customer)] == read
    staff = {entry.message for entry in archive_for_site(site, reader=desk.agent)}
    assert {"合并重复机房编码", "升级通知：值班主管", "短信已发送"} <= staff


def test_a_kind_declared_twice_differently_is_refused():
    event_kinds.register(EventKind("ticket.opened", customer_history=False,
                                   customer_timeline=True,
                                   words=event_kinds.declared("ticket.opened").words))  # fmt: skip
    with pytest.raises(ImproperlyConfigured):
        event_kinds.register(EventKind("ticket.opened"))
    assert not event_kinds.declared("ticket.opened").customer_history


def test_a_kinds_own_declaration_wins_over_its_familys():
    assert event_kinds.declared("visit.departed").customer_timeline
    assert not event_kinds.declared("visit.checked_in").customer_timeline
    assert not event_kinds.declared("visit.anything_new").customer_history
    assert event_kinds.declared("repair.shipped").customer_history  # nobody declared it
    assert not event_kinds.declared("billing.data_repair").customer_history

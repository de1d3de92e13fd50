"""The runner's pieces in their owners' homes: the batch outbox (notifications), the batch
event writer (core.audit), the bulk helpers (core.bulk) and one scheduler (core.due)."""

import pytest

from weibao.core import due
from weibao.core.audit import EventBatch, record_event
from weibao.core.bulk import insert, update_grouped
from weibao.core.models import ChangeLog
from weibao.escalations.runner import TickCounts, tick
from weibao.notifications.models import Notification
from weibao.notifications.outbox import Outbox
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db

FIELDS = ["actor_id", "action", "kind", "content_type_id", "object_id", "object_repr", "changes",
          "message", "customer_id", "site_id", "asset_id"]  # fmt: skip


def test_batch_events_are_the_rows_record_event_writes(desk):
    ticket = desk.open(level="L2")
    record_event(ticket, kind="ticket.test", message="一", actor=desk.agent, data={"a": 1})
    batch = EventBatch()
    batch.add(ticket, kind="ticket.test", message="一", actor=desk.agent, data={"a": 1})
    assert batch.write() == 1
    single, batched = ChangeLog.objects.filter(kind="ticket.test").order_by("id")
    assert [getattr(single, f) for f in FIELDS] == [getattr(batched, f) for f in FIELDS]


def test_the_batch_outbox_writes_what_notify_writes_and_never_doubles(desk):
    fields = {"subject": "s", "body": "b", "kind": "breach", "customer": desk.customer}
    single = notify(recipients=[desk.manager, desk.gm], dedupe_key="one", **fields)
    outbox = Outbox()
    outbox.add(recipients=[desk.manager, desk.gm], dedupe_key="two", **fields)
    outbox.add(recipients=[desk.manager], dedupe_key="one", **fields)  # already there
    assert outbox.write() == 3
    batched = Notification.objects.filter(dedupe_key="two")
    shape = sorted((n.channel, n.address, n.recipient_id) for n in single)
    assert sorted((n.channel, n.address, n.recipient_id) for n in batched) == shape
    assert Notification.objects.filter(dedupe_key="one").count() == len(single)


def test_reachable_leaves_out_people_without_any_address(desk):
    desk.gm.email = ""
    desk.gm.save()
    assert Outbox().reachable([desk.manager, desk.gm], desk.customer) == [desk.manager]


def test_bulk_insert_and_grouped_update(desk):
    ticket = desk.open(level="L2")
    from weibao.escalations.models import EscalationStep

    steps = [EscalationStep(ticket=ticket, level="L2", after_minutes=m, target="field_engineer",
                            due_at=ticket.reported_at) for m in (1, 2, 3)]  # fmt: skip
    insert(steps)
    rows = list(EscalationStep.objects.filter(after_minutes__in=(1, 2, 3)).order_by("id"))
    assert len(rows) == 3
    rows[0].recipients, rows[1].recipients, rows[2].recipients = 5, 5, 7
    update_grouped(rows, ["recipients"])
    stored = EscalationStep.objects.filter(pk__in=[r.pk for r in rows]).order_by("id")
    assert [s.recipients for s in stored] == [5, 5, 7]


def test_the_desk_sources_and_the_outbox_are_registered_with_the_one_scheduler():
    names = [source.name for source in due.sources()]
    for name in ("escalations.clock_breaches", "escalations.ladder_steps",
                 "escalations.emergency_actions", "notifications.delivery"):  # fmt: skip
        assert name in names
    assert [s.name for s in due.sources() if s.delivers] == ["notifications.delivery"]
    counts = tick(deliver=False)
    assert (counts.breaches, counts.steps, counts.actions, counts.sent) == (0, 0, 0, 0)
    assert isinstance(counts, TickCounts)

"""Opening a ticket stays cheap: an alarm storm opens one per incident and every phone call
waits for one, so the number of database round trips per ticket is held to a bound (a new
repeated query shows up here), and the queue's urgency key is written once per ticket."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.tickets import queue
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db

# Measured on PostgreSQL and SQLite when a new ticket's clocks, steps and actions were created
# without looking them up and an L1 ticket's notices read holders, preferences and endpoints
# once (L2 was 24, then 20; L1 was 113, then 103); then when its change-log rows were written
# together and without a savepoint of its own (L2 15 → 12; L1 40 → 35 on PostgreSQL); then
# when the L1 fields went into the ticket's INSERT and its clocks into one (L1 32 on
# PostgreSQL, 30 on SQLite).
L2_QUERY_BOUND = 12
L1_QUERY_BOUND = 32


def urgency_writes(captured) -> int:
    return sum(
        1
        for query in captured
        if query["sql"].startswith('UPDATE "tickets_ticket"') and '"urgency_at" =' in query["sql"]
    )


def test_opening_an_l2_ticket_takes_a_bounded_number_of_queries(desk):
    desk.open(level="L2")  # the first one warms the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        ticket = desk.open(level="L2")
    print(f"L2 intake: {len(ctx.captured_queries)} queries")
    assert len(ctx.captured_queries) <= L2_QUERY_BOUND, "\n".join(
        query["sql"][:160] for query in ctx.captured_queries
    )
    assert urgency_writes(ctx.captured_queries) == 1
    # … and the key written once is the right one: the phone response due, sorted by it
    row = queue.with_urgency(Ticket.objects.filter(pk=ticket.pk)).get()
    phone = ticket.clocks.get()
    first_step = ticket.escalation_steps.order_by("due_at").first()
    assert row.next_due == phone.due_at
    assert row.next_step == first_step.due_at
    assert row.urgent_at == min(phone.due_at, first_step.due_at)
    assert (ticket.next_due, ticket.urgency_at) == (row.next_due, row.urgent_at)


def test_opening_an_l1_ticket_takes_a_bounded_number_of_queries(desk):
    """An L1 ticket also starts its emergency actions and tells their owners and the L1
    notice's people: each role's holders, their preferences and the endpoints read once."""
    desk.open(level="L1")  # the first one warms the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        desk.open(level="L1")
    print(f"L1 intake: {len(ctx.captured_queries)} queries")
    assert len(ctx.captured_queries) <= L1_QUERY_BOUND, "\n".join(
        query["sql"][:160] for query in ctx.captured_queries
    )


def test_opening_an_l1_ticket_writes_the_urgency_key_once(desk):
    with CaptureQueriesContext(connection) as ctx:
        ticket = desk.open(level="L1")
    assert urgency_writes(ctx.captured_queries) == 1
    dues = [c.due_at for c in ticket.clocks.all()]
    assert len(dues) == 3  # phone response, on-site response and arrival
    row = queue.with_urgency(Ticket.objects.filter(pk=ticket.pk)).get()
    assert row.next_due == min(dues)

"""Covering indexes for the queue's urgency order (`weibao.tickets.queue.with_urgency`): per
ticket, the earliest running-or-breached clock and the next pending ladder step are read by
an index-only scan instead of a fetch and sort of the ticket's rows. Partial indexes, plain
SQL valid on PostgreSQL and SQLite; nothing for Django's model state (the indexes serve one
query of the tickets app, on other apps' tables)."""

from django.db import migrations

URGENCY_INDEXES = [
    (
        "clock_open_ticket_due",
        "sla_clock (ticket_id, due_at) "
        "WHERE state IN ('running', 'breached') AND due_at IS NOT NULL",
    ),
    (
        "step_pending_ticket_due",
        "escalations_escalationstep (ticket_id, due_at) "
        "WHERE fired_at IS NULL AND cancelled_at IS NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_notes_attachments"),
        ("sla", "0003_clock_unmet"),
        ("escalations", "0004_bounded_inputs"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX IF EXISTS {name}",
            elidable=False,
        )
        for name, definition in URGENCY_INDEXES
    ]

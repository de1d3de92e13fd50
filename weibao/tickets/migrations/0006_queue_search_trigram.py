"""Trigram indexes for the queue's substring search (docs/adr/queue-search-trigram.md),
on PostgreSQL only: `icontains` is `UPPER(col::text) LIKE UPPER('%…%')`, which a GIN index of
`gin_trgm_ops` over that same expression answers, Chinese substrings of 3+ characters too.
SQLite has no such index; its LIKE scans, which is fine at its scale. Nothing for Django's
model state: the indexes live in the database only (`makemigrations` never sees them)."""

from django.db import migrations

# (index name, table, column): what `weibao.tickets.queue.search` matches with icontains.
TRIGRAM_INDEXES = [
    ("ticket_number_trgm", "tickets_ticket", "number"),
    ("ticket_phone_trgm", "tickets_ticket", "contact_phone"),
    ("ticket_contact_trgm", "tickets_ticket", "contact_name"),
    ("ticket_phenomenon_trgm", "tickets_ticket", "fault_phenomenon"),
    ("site_name_trgm", "sites_site", "name"),
    ("site_code_trgm", "sites_site", "code"),
]


def create_sql() -> list[str]:
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) '
        "gin_trgm_ops)"
        for name, table, column in TRIGRAM_INDEXES
    ]


def drop_sql() -> list[str]:
    return [f"DROP INDEX IF EXISTS {name}" for name, _table, _column in TRIGRAM_INDEXES]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements():
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_bounded_inputs"),
        ("sites", "0004_bounded_inputs"),
    ]

    operations = [migrations.RunPython(_run(create_sql), _run(drop_sql), elidable=False)]

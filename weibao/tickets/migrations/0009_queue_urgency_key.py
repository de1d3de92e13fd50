"""The queue's urgency key stored on the ticket (weibao.sla.urgency), with the index of the
open queue's order; existing tickets get their key computed from their clocks and steps."""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

from weibao.core import clock
from weibao.sla.urgency import sort_key


def fill(apps, schema_editor):
    ticket_model = apps.get_model("tickets", "Ticket")
    clock_model = apps.get_model("sla", "Clock")
    step_model = apps.get_model("escalations", "EscalationStep")
    clocks = clock_model.objects.filter(
        ticket=OuterRef("pk"), state__in=["running", "breached"], due_at__isnull=False
    ).order_by("due_at")
    steps = step_model.objects.filter(
        ticket=OuterRef("pk"), fired_at__isnull=True, cancelled_at__isnull=True
    ).order_by("due_at")
    # Only tickets with a running or breached clock or a pending step: the others' key is the
    # columns' defaults already (no deadline). EXISTS per ticket (index probes): an IN of the
    # steps' ids is not hashed once they outgrow work_mem, and rescans them for every ticket.
    tickets = ticket_model.objects.filter(Exists(clocks) | Exists(steps))
    tickets.update(
        next_due=Subquery(clocks.values("due_at")[:1]),
        next_step=Subquery(steps.values("due_at")[:1]),
    )
    tickets.update(urgency_at=sort_key(clock.now()))


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0003_bounded_inputs"),
        ("contracts", "0004_bounded_inputs"),
        ("library", "0003_bounded_dates"),
        ("sites", "0004_bounded_inputs"),
        ("tenancy", "0004_bounded_inputs"),
        ("tickets", "0008_queue_urgency_indexes"),
        ("sla", "0003_clock_unmet"),
        ("escalations", "0004_bounded_inputs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="level_rank",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(level="L1", then=models.Value(1)),
                    models.When(level="L2", then=models.Value(2)),
                    models.When(level="L3", then=models.Value(3)),
                    models.When(level="L4", then=models.Value(4)),
                    default=models.Value(5),
                ),
                output_field=models.PositiveSmallIntegerField(),
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="next_due",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="最近截止"
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="next_step",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="下一步升级"
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="urgency_at",
            field=models.DateTimeField(
                default=datetime.datetime(9999, 1, 1, 0, 0, tzinfo=datetime.UTC),
                editable=False,
                verbose_name="紧急程度排序",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(
                    (
                        "stage__in",
                        [
                            "emergency",
                            "expert_onsite",
                            "expert_remote",
                            "new",
                            "onsite_support",
                            "phone_support",
                            "remote_support",
                        ],
                    )
                ),
                fields=["urgency_at", "level_rank", "reported_at", "id"],
                name="ticket_open_urgency",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]

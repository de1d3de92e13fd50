from django.db import migrations

from weibao.tickets import seed


def forwards(apps, schema_editor):
    seed.load_causes(apps)
    # L1 tickets opened before the judgement time was recorded were judged at intake.
    Ticket = apps.get_model("tickets", "Ticket")
    for ticket in Ticket.objects.filter(level="L1", judged_l1_at__isnull=True):
        ticket.judged_l1_at = ticket.reported_at
        ticket.save(update_fields=["judged_l1_at"])


def backwards(apps, schema_editor):
    seed.unload_causes(apps)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_resolution_cause_l1_judgement")]
    operations = [migrations.RunPython(forwards, backwards)]

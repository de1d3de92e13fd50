"""A call older than the contract's late-log bound (24 h by default, TKT-1) is logged only by
a supervisor: grant the maintenance manager `ticket.backdate`, as the default matrix now does."""

from django.db import migrations

CELL = {"role": "maintenance_manager", "capability": "ticket.backdate"}


def grant(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.get_or_create(**CELL)


def revoke(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.filter(**CELL).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_spare_keeper_proposes_billing")]
    operations = [migrations.RunPython(grant, revoke)]

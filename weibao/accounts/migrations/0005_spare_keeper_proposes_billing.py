"""The spare-parts keeper runs spares and repairs, so it bills what an out-of-scope repair or
a damaged or over-quota loan costs the customer (EXC-2): grant it `billing.propose`, as the
default matrix now does."""

from django.db import migrations

CELL = {"role": "spare_keeper", "capability": "billing.propose"}


def grant(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.get_or_create(**CELL)


def revoke(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.filter(**CELL).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_agent_completes_own_emergency_actions")]
    operations = [migrations.RunPython(grant, revoke)]

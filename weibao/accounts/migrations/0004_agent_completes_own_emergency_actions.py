"""The support agent owns L1 actions of its own (notify the leadership, root-cause analysis):
grant it `emergency.action`, as the default matrix now does."""

from django.db import migrations

CELL = {"role": "support_agent", "capability": "emergency.action"}


def grant(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.get_or_create(**CELL)


def revoke(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.filter(**CELL).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_seed_role_capabilities")]
    operations = [migrations.RunPython(grant, revoke)]

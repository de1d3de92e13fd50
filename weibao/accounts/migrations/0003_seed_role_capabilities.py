"""Seed the permission matrix (PRM-1) with the defaults of `accounts.capabilities`."""

from django.db import migrations


def seed(apps, schema_editor):
    from weibao.accounts.capabilities import DEFAULT_MATRIX

    RoleCapability = apps.get_model("accounts", "RoleCapability")
    RoleCapability.objects.bulk_create(
        [
            RoleCapability(role=str(role), capability=str(cap))
            for role, caps in DEFAULT_MATRIX.items()
            for cap in sorted(caps)
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("accounts", "RoleCapability").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_capability")]
    operations = [migrations.RunPython(seed, unseed)]

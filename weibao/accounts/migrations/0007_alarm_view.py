"""The alarm console (ALM-1..3): grant `alarm.view` to the provider's desk, field and
management roles and to the customer's leader (their own incidents), as the default matrix
now does."""

from django.db import migrations

ROLES = (
    "support_agent",
    "engineer",
    "maintenance_manager",
    "service_office_manager",
    "subcenter_expert",
    "center_head",
    "service_center_gm",
    "account_manager",
    "customer_leader",
)
CAPABILITY = "alarm.view"


def grant(apps, schema_editor):
    cells = apps.get_model("accounts", "RoleCapability").objects
    for role in ROLES:
        cells.get_or_create(role=role, capability=CAPABILITY)


def revoke(apps, schema_editor):
    cells = apps.get_model("accounts", "RoleCapability").objects
    cells.filter(role__in=ROLES, capability=CAPABILITY).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_manager_logs_old_calls")]
    operations = [migrations.RunPython(grant, revoke)]

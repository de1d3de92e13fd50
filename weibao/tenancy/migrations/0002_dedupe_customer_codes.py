"""Data repair (issue 11) before customer codes become unique whatever their case: of the
customers whose codes differ only in case ("HDTX", "hdtx"), the oldest keeps its code and each
other one gets "-2", "-3", … appended (a free code, within the 40 characters), so no customer
is merged or lost; each rename is written to the customer's change log ("数据修复")."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone


def _free_code(Customer, code: str, taken: set[str]) -> str:
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = code[: 40 - len(suffix)] + suffix
        if (
            candidate.lower() not in taken
            and not Customer.objects.filter(code__iexact=candidate).exists()
        ):
            return candidate
        n += 1


def rename_duplicates(apps, schema_editor=None) -> list[tuple[str, str]]:
    """Rename the later customers of each case-insensitive duplicate code; returns the
    renames as (old code, new code)."""
    Customer = apps.get_model("tenancy", "Customer")
    ChangeLog = apps.get_model("core", "ChangeLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    duplicated = (
        Customer.objects.annotate(lowered=Lower("code"))
        .values("lowered")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("lowered", flat=True)
    )
    renames = []
    taken: set[str] = set()
    for lowered in list(duplicated):
        for customer in Customer.objects.filter(code__iexact=lowered).order_by("pk")[1:]:
            old = customer.code
            customer.code = _free_code(Customer, old, taken)
            taken.add(customer.code.lower())
            customer.save(update_fields=["code"])
            renames.append((old, customer.code))
            content_type, _ = ContentType.objects.get_or_create(
                app_label="tenancy", model="customer"
            )
            ChangeLog.objects.create(
                at=timezone.now(),
                action="event",
                kind="tenancy.data_repair",
                content_type=content_type,
                object_id=str(customer.pk),
                object_repr=customer.name[:200],
                message=f"数据修复：客户代码 {old} 与其他客户仅大小写不同，改为 {customer.code}。",
                changes={"code": [old, customer.code]},
                customer_id=customer.pk,
            )
    return renames


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rename_duplicates, migrations.RunPython.noop)]

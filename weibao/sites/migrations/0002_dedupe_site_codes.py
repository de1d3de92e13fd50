"""Data repair (issue 11) before site codes become unique within a customer whatever their
case: of a customer's sites whose codes differ only in case ("EO-01", "eo-01"), the oldest
keeps its code and each other one gets "-2", "-3", … appended (a free code within the 40
characters), so no site is merged or lost; each rename is written to the site's change log
("数据修复")."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone


def rename_duplicates(apps, schema_editor=None) -> list[tuple[str, str]]:
    """Rename the later sites of each case-insensitive duplicate code within a customer;
    returns the renames as (old code, new code)."""
    Site = apps.get_model("sites", "Site")
    ChangeLog = apps.get_model("core", "ChangeLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    duplicated = (
        Site.objects.annotate(lowered=Lower("code"))
        .values("customer_id", "lowered")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("customer_id", "lowered")
    )
    renames = []
    for customer_id, lowered in list(duplicated):
        sites = Site.objects.filter(customer_id=customer_id, code__iexact=lowered).order_by("pk")
        for site in sites[1:]:
            old, n = site.code, 2
            while True:
                suffix = f"-{n}"
                candidate = old[: 40 - len(suffix)] + suffix
                if not Site.objects.filter(customer_id=customer_id, code__iexact=candidate).exists():
                    break
                n += 1
            site.code = candidate
            site.save(update_fields=["code"])
            renames.append((old, candidate))
            content_type, _ = ContentType.objects.get_or_create(app_label="sites", model="site")
            ChangeLog.objects.create(
                at=timezone.now(),
                action="event",
                kind="sites.data_repair",
                content_type=content_type,
                object_id=str(site.pk),
                object_repr=site.name[:200],
                message=f"数据修复：机房编号 {old} 与同一客户的其他机房仅大小写不同，改为 {candidate}。",
                changes={"code": [old, candidate]},
                customer_id=customer_id,
                site_id=site.pk,
            )
    return renames


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rename_duplicates, migrations.RunPython.noop)]

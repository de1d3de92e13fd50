"""Data repair (issue 11): cost lines whose amount (quantity × unit price) or whose
statement's running total no longer fits the 14 digits amounts are shown and exported with
made every statement list answer 500. Such lines are kept — the statement still shows what
was entered — but priced at zero: the unit price becomes 0, the description starts with
"[数据修复]", and the statement's timeline gets a "数据修复" event with the original quantity
and unit price. Capping at the maximum would bill an invented amount; deleting would hide
what was entered. Lines are walked in their order, so the first lines keep their amounts.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from weibao.core import bounds

PREFIX = "[数据修复] "


def repair_lines(apps, schema_editor=None) -> int:
    """Reprice the overflowing lines at zero; returns how many were repaired."""
    Statement = apps.get_model("billing", "Statement")
    StatementLine = apps.get_model("billing", "StatementLine")
    ChangeLog = apps.get_model("core", "ChangeLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    cent = Decimal("0.01")
    repaired = 0
    for statement in Statement.objects.order_by("pk").iterator():
        total = Decimal("0.00")
        notes = []
        for line in StatementLine.objects.filter(statement=statement).order_by("position", "id"):
            amount = (Decimal(line.quantity) * Decimal(line.unit_price)).quantize(cent)
            if (
                bounds.fits(line.quantity, 10)
                and bounds.fits(line.unit_price, 12)
                and bounds.fits(total + amount, bounds.AMOUNT_DIGITS)
            ):
                total += amount
                continue
            notes.append(f"{line.description}：{line.quantity} × {line.unit_price}")
            if not bounds.fits(line.quantity, 10):
                line.quantity = Decimal("0")
            line.unit_price = Decimal("0")
            if not line.description.startswith(PREFIX):
                line.description = (PREFIX + line.description)[:200]
            line.save(update_fields=["quantity", "unit_price", "description"])
            repaired += 1
        if notes:
            content_type, _ = ContentType.objects.get_or_create(
                app_label="billing", model="statement"
            )
            ChangeLog.objects.create(
                at=timezone.now(),
                action="event",
                kind="billing.data_repair",
                content_type=content_type,
                object_id=str(statement.pk),
                object_repr=(statement.number or str(statement.pk))[:200],
                message="数据修复：以下费用的金额超出上限，单价已改为 0（原数量 × 原单价）："
                + "；".join(notes),
                changes={"repaired_lines": len(notes)},
                customer_id=statement.customer_id,
                site_id=statement.site_id,
                asset_id=statement.asset_id,
            )
    return repaired


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_spare_causes_and_line_kinds"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(repair_lines, migrations.RunPython.noop)]

"""Data repair (issue 11): quote lines whose amount (quantity × unit price) or whose quote's
running total no longer fits the 14 digits totals are shown with made every spare-sale list
answer 500. Like billing's statement lines, such lines are kept but priced at zero (unit
price 0), and the sales order's timeline gets a "数据修复" event with the original quantity
and unit price: capping would quote an invented amount, deleting would hide what was entered.
Lines are walked in their order, so the first lines keep their amounts.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from weibao.core import bounds


def repair_quotes(apps, schema_editor=None) -> int:
    """Reprice the overflowing quote lines at zero; returns how many were repaired."""
    SaleQuote = apps.get_model("spares", "SaleQuote")
    SaleQuoteLine = apps.get_model("spares", "SaleQuoteLine")
    ChangeLog = apps.get_model("core", "ChangeLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    repaired = 0
    for quote in SaleQuote.objects.select_related("order").order_by("pk").iterator():
        total = Decimal("0.00")
        notes = []
        for line in SaleQuoteLine.objects.filter(quote=quote).order_by("id"):
            amount = Decimal(line.unit_price) * line.quantity
            if bounds.fits(line.unit_price, bounds.PRICE_DIGITS) and bounds.fits(
                total + amount, bounds.AMOUNT_DIGITS
            ):
                total += amount
                continue
            notes.append(f"#{line.pk}：{line.quantity} × {line.unit_price}")
            line.unit_price = Decimal("0")
            line.save(update_fields=["unit_price"])
            repaired += 1
        if notes:
            order = quote.order
            content_type, _ = ContentType.objects.get_or_create(
                app_label="spares", model="saleorder"
            )
            ChangeLog.objects.create(
                at=timezone.now(),
                action="event",
                kind="spares.data_repair",
                content_type=content_type,
                object_id=str(order.pk),
                object_repr=(order.number or str(order.pk))[:200],
                message=f"数据修复：第 {quote.revision} 版报价中以下明细的金额超出上限，"
                "单价已改为 0（原数量 × 原单价）：" + "；".join(notes),
                changes={"quote": quote.pk, "repaired_lines": len(notes)},
                customer_id=order.customer_id,
            )
    return repaired


class Migration(migrations.Migration):
    dependencies = [
        ("spares", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(repair_quotes, migrations.RunPython.noop)]

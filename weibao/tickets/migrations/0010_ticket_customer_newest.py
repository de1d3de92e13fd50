"""A customer's tickets newest first (the portal's 我的报修, the queue filtered by customer and
ordered by report time): a keyset page deep into them reads an index range."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0009_queue_urgency_key"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["customer", "-reported_at", "-id"], name="ticket_customer_newest"
            ),
        ),
    ]

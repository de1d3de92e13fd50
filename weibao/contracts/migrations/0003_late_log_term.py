"""How far back staff may log a late call (TKT-1), a term of the contract: 24 h by default."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_continued_escalation_terms")]

    operations = [
        migrations.AddField(
            model_name="contractpolicy",
            name="late_log_max_minutes",
            field=models.PositiveIntegerField(
                default=1440,
                validators=[
                    django.core.validators.MinValueValidator(1, message="时长必须大于 0。")
                ],
                verbose_name="补录来电最多可早于当前时间（分钟）",
            ),
        ),
    ]

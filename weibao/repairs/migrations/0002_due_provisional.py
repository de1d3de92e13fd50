from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="repair",
            name="due_provisional",
            field=models.BooleanField(
                default=False,
                help_text="应返回日期跨入尚未导入国务院放假安排的年份，按法定假日规则暂算",
                verbose_name="暂定",
            ),
        ),
        migrations.AddField(
            model_name="repair",
            name="due_calendar_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="该年放假安排导入后自动重算应返回日期",
                null=True,
                verbose_name="待导入年份",
            ),
        ),
    ]

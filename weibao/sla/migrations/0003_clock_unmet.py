from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="clock",
            name="closed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="工单在承诺兑现前已解决：时钟关闭，不计为达成",
                null=True,
                verbose_name="未达成关闭",
            ),
        ),
        migrations.AlterField(
            model_name="clock",
            name="state",
            field=models.CharField(
                choices=[
                    ("running", "计时中"),
                    ("paused", "已暂停"),
                    ("met", "已达成"),
                    ("breached", "已超时"),
                    ("unmet", "解决前未达成"),
                ],
                default="running",
                max_length=10,
                verbose_name="状态",
            ),
        ),
    ]

from django.db import migrations

from weibao.incidents import seed


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("tickets", "0009_queue_urgency_key"),
    ]

    operations = [migrations.RunPython(seed.load, seed.unload)]

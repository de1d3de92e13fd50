from django.db import migrations


def load(apps, schema_editor):
    from weibao.emergency import seed

    seed.load(apps)


def unload(apps, schema_editor):
    from weibao.emergency import seed

    seed.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

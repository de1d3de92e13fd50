from django.db import migrations

from weibao.billing import seed


def forwards(apps, schema_editor):
    seed.load(apps)


def backwards(apps, schema_editor):
    seed.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

from django.db import migrations

from weibao.assets import seed


def forwards(apps, schema_editor):
    seed.load(apps)


def backwards(apps, schema_editor):
    seed.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

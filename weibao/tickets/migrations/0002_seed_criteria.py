from django.db import migrations

from weibao.tickets import seed


def forwards(apps, schema_editor):
    seed.load(apps)


def backwards(apps, schema_editor):
    seed.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

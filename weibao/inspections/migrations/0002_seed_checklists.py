from django.db import migrations


def load(apps, schema_editor):
    from weibao.inspections import seed

    seed.load(apps)


def unload(apps, schema_editor):
    from weibao.inspections import seed

    seed.unload(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("assets", "0002_seed_categories"),
    ]

    operations = [migrations.RunPython(load, unload)]

"""Loads the State Council schedules of 2004–2026 from the chinesecalendar package.

The years are fixed here, so a later package release does not change what this migration
did; newer years are loaded with `weibao calendar_seed` or imported with `calendar_import`.
"""

from django.db import migrations

from weibao.calendars import seed

YEARS = range(2004, 2027)


def forwards(apps, schema_editor):
    seed.seed_years(
        apps.get_model("calendars", "CalendarDay"),
        apps.get_model("calendars", "CalendarYear"),
        years=YEARS,
    )


def backwards(apps, schema_editor):
    seed.unseed_years(
        apps.get_model("calendars", "CalendarDay"),
        apps.get_model("calendars", "CalendarYear"),
        years=YEARS,
    )


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

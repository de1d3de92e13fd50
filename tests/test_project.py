"""The project's own promises: Django's checks pass and no model change lacks a migration."""

import io

import pytest
from django.core.management import call_command


def test_manage_py_check_passes():
    out = io.StringIO()
    call_command("check", fail_level="WARNING", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_missing_migrations():
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=io.StringIO())
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration (exit {exit_.code})")

"""Bounds of customers through the API (issue 11): a model's free text (notes) is bounded
like every note, and codes are unique whatever their case."""

import importlib

import pytest

from weibao.tenancy.models import Customer

pytestmark = pytest.mark.django_db


def test_customer_notes_longer_than_ten_thousand_characters_are_refused(api, world):
    api.force_authenticate(world.admin)
    answer = api.post("/api/customers/", {"name": "新客户", "code": "new", "notes": "备" * 10_001})
    assert answer.status_code == 400 and answer.json()["fields"]["notes"]
    assert not Customer.objects.filter(code="new").exists()
    ok = api.post("/api/customers/", {"name": "新客户", "code": "new", "notes": "备" * 10_000})
    assert ok.status_code == 201, ok.json()


def test_a_code_differing_only_in_case_is_refused_on_its_field(api, world):
    api.force_authenticate(world.admin)
    taken = world.customer_a.code
    answer = api.post("/api/customers/", {"name": "新客户", "code": taken.upper()})
    assert answer.status_code == 400 and answer.json()["fields"]["code"]
    assert Customer.objects.filter(code__iexact=taken).count() == 1
    own = api.patch(f"/api/customers/{world.customer_a.pk}/", {"code": taken.upper()})
    assert own.status_code == 200, own.json()


def test_the_data_migration_renames_codes_differing_only_in_case(world):
    from django.apps import apps
    from django.db import connection

    from weibao.core.models import ChangeLog

    with connection.cursor() as cursor:  # as before the constraint existed
        cursor.execute("DROP INDEX unique_customer_code_ci")
    first = world.customer_a
    twin = Customer.objects.create(provider=first.provider, name="重复客户",
                                   code=first.code.upper())  # fmt: skip
    migration = importlib.import_module("weibao.tenancy.migrations.0002_dedupe_customer_codes")

    assert migration.rename_duplicates(apps) == [(first.code.upper(), f"{first.code.upper()}-2")]
    first.refresh_from_db()
    twin.refresh_from_db()
    assert (first.code, twin.code) == (world.customer_a.code, f"{first.code.upper()}-2")
    assert ChangeLog.objects.filter(kind="tenancy.data_repair", object_id=str(twin.pk)).exists()

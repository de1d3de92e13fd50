"""Site codes are unique within a customer whatever their case (issue 11): the API answers
400 on `code`, and the data migration renames existing codes differing only in case."""

import importlib

import pytest

from weibao.sites.models import Site

pytestmark = pytest.mark.django_db


def _body(world, code):
    return {"customer": world.customer_a.pk, "name": "新端局", "code": code, "kind": "end_office",
            "address": "南京市", "latitude": "32.1", "longitude": "118.9"}  # fmt: skip


def test_a_site_code_differing_only_in_case_is_refused_on_its_field(api, world):
    api.force_authenticate(world.admin)
    taken = world.site_a.code
    answer = api.post("/api/sites/", _body(world, taken.lower()), format="json")
    assert answer.status_code == 400 and answer.json()["fields"]["code"]
    assert Site.objects.filter(customer=world.customer_a, code__iexact=taken).count() == 1
    other = api.post("/api/sites/", {**_body(world, taken.lower()),
                                     "customer": world.customer_b.pk}, format="json")  # fmt: skip
    assert other.status_code == 201, other.json()  # another customer's codes are its own


def test_the_data_migration_renames_site_codes_differing_only_in_case(world):
    from django.apps import apps
    from django.db import connection

    from weibao.core.models import ChangeLog

    with connection.cursor() as cursor:  # as before the constraint existed
        cursor.execute("DROP INDEX unique_site_code_ci")
    first = world.site_a
    twin = Site.objects.create(customer=first.customer, name="重复机房", kind=first.kind,
                               code=first.code.lower(), latitude=first.latitude,
                               longitude=first.longitude)  # fmt: skip
    migration = importlib.import_module("weibao.sites.migrations.0002_dedupe_site_codes")

    assert migration.rename_duplicates(apps) == [(first.code.lower(), f"{first.code.lower()}-2")]
    twin.refresh_from_db()
    assert twin.code == f"{first.code.lower()}-2"
    assert ChangeLog.objects.filter(kind="sites.data_repair", object_id=str(twin.pk)).exists()

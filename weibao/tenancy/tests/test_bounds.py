"""Bounds of customers through the API (issue 11): a model's free text (notes) is bounded
like every note, and codes are unique whatever their case."""

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

"""Money bounds of a statement (issue 11): a line whose amount or whose statement's total
would not fit is refused on its field with nothing stored, and lines already stored too large
are repaired by the data migration so the statement list answers again."""

import importlib

import pytest
from django.apps import apps

from weibao.billing import services
from weibao.billing.models import Exclusion, StatementLine
from weibao.core.models import ChangeLog

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.billing.tests.urls")]

OVERFLOW = {"kind": "part", "description": "超大订单", "part_number": "PS-1",
            "quantity": "99999999.99", "unit_price": "9999999999.99"}  # fmt: skip


def _add(api, statement, **line):
    return api.post(f"/api/statements/{statement.pk}/lines/", line, format="json")


def test_a_line_whose_amount_overflows_is_refused_on_its_field(api, draft, desk):
    api.force_authenticate(desk.engineer)
    answer = _add(api, draft, **OVERFLOW)
    assert answer.status_code == 400
    assert "999,999,999,999.99" in answer.json()["fields"]["unit_price"][0]
    assert not StatementLine.objects.filter(statement=draft).exists()
    assert api.get("/api/statements/").status_code == 200


def test_a_line_that_would_push_the_total_over_is_refused(api, draft, desk):
    api.force_authenticate(desk.engineer)
    big = {**OVERFLOW, "quantity": "100", "unit_price": "9999999999.99"}  # 999,999,999,999.00
    assert _add(api, draft, **big).status_code == 200
    answer = _add(api, draft, **{**big, "quantity": "1", "unit_price": "1"})
    assert answer.status_code == 400 and answer.json()["fields"]["unit_price"]
    assert StatementLine.objects.filter(statement=draft).count() == 1
    listed = api.get("/api/statements/").json()["results"]
    assert listed[0]["total"] == "999999999999.00"


def test_the_api_schema_tells_the_limits(api, desk):
    api.force_authenticate(desk.engineer)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    line = schema["components"]["schemas"]["LineCreateRequest"]["properties"]
    assert line["quantity"]["pattern"] == r"^-?\d{0,8}(?:\.\d{0,2})?$"
    assert "999,999,999,999.99" in line["unit_price"]["description"]


def test_the_data_migration_reprices_overflowing_lines_and_the_list_answers(api, draft, desk):
    services.add_line(draft, kind="labour", description="工时", quantity="2",
                      unit_price="100", actor=desk.engineer)  # fmt: skip
    StatementLine.objects.create(statement=draft, position=2, kind="part",
                                 description="超大订单", part_number="PS-1",
                                 quantity="99999999.99", unit="个",
                                 unit_price="9999999999.99")  # fmt: skip
    api.force_authenticate(desk.engineer)
    assert api.get("/api/statements/").status_code == 500

    migration = importlib.import_module("weibao.billing.migrations.0005_repair_overflowing_lines")
    assert migration.repair_lines(apps) == 1

    answer = api.get("/api/statements/")
    assert answer.status_code == 200
    assert answer.json()["results"][0]["total"] == "200.00"
    repaired = StatementLine.objects.get(statement=draft, position=2)
    assert repaired.description == "[数据修复] 超大订单" and repaired.unit_price == 0
    event = ChangeLog.objects.get(kind="billing.data_repair", object_id=str(draft.pk))
    assert "99999999.99 × 9999999999.99" in event.message


TWO_MB = "警" * (2 * 1024 * 1024 // 3)  # 2 MB of UTF-8


def test_a_two_megabyte_evidence_is_refused_on_its_field(api, desk, causes):
    ticket = desk.open(level="L3")
    api.force_authenticate(desk.engineer)
    answer = api.post("/api/exclusions/",
                      {"ticket": ticket.pk, "causes": [causes["negligence"].pk],
                       "evidence": TWO_MB}, format="json")  # fmt: skip
    assert answer.status_code == 400
    assert "10000" in answer.json()["fields"]["evidence"][0]
    assert not Exclusion.objects.exists()
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schema["ExclusionCreateRequest"]["properties"]["evidence"]["maxLength"] == 10_000

"""The billing API: scoped statements, the customer's approve/reject actions, marking a
ticket out of scope with a photo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.billing import services
from weibao.billing.choices import StatementState
from weibao.billing.tests.conftest import add_lines
from weibao.core.tests.images import plain_photo

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.billing.tests.urls")]


@pytest.fixture
def sent(draft, desk):
    add_lines(draft, desk.engineer)
    return services.send_statement(draft, actor=desk.manager)


def test_customer_reads_and_approves_once(api, sent, client_user):
    api.force_authenticate(client_user)
    listed = api.get("/api/statements/").json()["results"]
    assert [s["number"] for s in listed] == [sent.number]
    assert listed[0]["total"] == "1227.15" and listed[0]["subtotals"]["part"] == "266.66"

    approved = api.post(f"/api/statements/{sent.pk}/approve/", {"note": "同意"}, format="json")
    again = api.post(f"/api/statements/{sent.pk}/approve/", {}, format="json")

    assert approved.status_code == 200 and approved.json()["state"] == StatementState.APPROVED
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"


def test_customer_rejects_with_a_reason(api, sent, client_user):
    api.force_authenticate(client_user)
    missing = api.post(f"/api/statements/{sent.pk}/reject/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["fields"]["note"]
    done = api.post(f"/api/statements/{sent.pk}/reject/", {"note": "费用过高"}, format="json")
    assert done.json()["state"] == "rejected" and done.json()["decision_note"] == "费用过高"


def test_another_customers_statement_is_404(api, sent, world):
    api.force_authenticate(world.user_b)
    assert api.get(f"/api/statements/{sent.pk}/").status_code == 404
    assert api.post(f"/api/statements/{sent.pk}/approve/", {}, format="json").status_code == 404
    assert api.get("/api/statements/").json()["results"] == []


def test_customers_cannot_prepare_statements(api, draft, client_user):
    api.force_authenticate(client_user)
    line = {"kind": "travel", "description": "x", "quantity": "1", "unit_price": "1"}
    assert api.post(f"/api/statements/{draft.pk}/lines/", line, format="json").status_code == 403
    assert api.post(f"/api/statements/{draft.pk}/send/").status_code == 403


def test_engineer_marks_out_of_scope_with_a_photo_and_prices_lines(
    api, desk, causes, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ticket = desk.open(level="L3")
    api.force_authenticate(desk.engineer)
    created = api.post(
        "/api/exclusions/",
        {"ticket": ticket.pk, "causes": [causes["emergency_swap_repair"].pk],
         "evidence": "应急抢修换下的板件送修",
         "attachment": SimpleUploadedFile("板件.jpg", plain_photo(), content_type="image/jpeg")},
        format="multipart",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["has_attachment"] is True
    statement_id = created.json()["statements"][0]

    line = {"kind": "part", "description": "主控板返修", "part_number": "MB-01",
            "quantity": "1", "unit_price": "1200.00"}  # fmt: skip
    priced = api.post(f"/api/statements/{statement_id}/lines/", line, format="json").json()
    assert priced["total"] == "1200.00" and priced["lines"][0]["amount"] == "1200.00"
    line_id = priced["lines"][0]["id"]
    emptied = api.delete(f"/api/statements/{statement_id}/lines/{line_id}/").json()
    assert emptied["lines"] == [] and emptied["total"] == "0.00"


def test_another_providers_staff_cannot_mark_our_ticket(api, desk, causes):
    from weibao.testing import factories as f

    stranger = f.UserFactory(provider=f.ProviderFactory(name="别家维保公司"))
    ticket = desk.open(level="L3")
    api.force_authenticate(stranger)
    response = api.post("/api/exclusions/", {"ticket": ticket.pk, "causes": [causes["other"].pk],
                                             "evidence": "x"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "ticket" in response.json()["fields"]


def test_causes_are_listed(api, causes, desk):
    api.force_authenticate(desk.agent)
    names = [c["name"] for c in api.get("/api/exclusion-causes/").json()]
    assert "不可抗力" in names


def test_statements_export_as_excel_with_the_lists_filters(draft, desk, world):
    import io

    from openpyxl import load_workbook
    from rest_framework.test import APIClient

    add_lines(draft, desk.engineer)
    api = APIClient()
    api.force_authenticate(desk.manager)
    answer = api.get("/api/statements/export/", {"state": "draft"})
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "客户")
    assert [(r[0], r[4]) for r in rows[1:]] == [(draft.number, 1227.15)]
    assert len(list(load_workbook(io.BytesIO(api.get("/api/statements/export/", {
        "state": "sent"}).content)).active.iter_rows())) == 1  # fmt: skip
    api.force_authenticate(world.user_b)  # another customer: none of these
    rows = list(load_workbook(io.BytesIO(api.get("/api/statements/export/").content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[1:] == [] and "客户" not in rows[0]

"""Who may do what with billing (PRM-1): the engineer proposes (marks out of scope, writes
cost lines), the maintenance manager confirms and sends, the customer's leader approves.
Every other role gets 403 through the API and the web, and nothing changes."""

import pytest

from weibao.billing import services
from weibao.billing.choices import StatementState
from weibao.billing.models import Exclusion, Statement, StatementLine
from weibao.billing.tests.conftest import add_lines

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.billing.tests.urls")]

PROVIDER_ROLES = ["agent", "engineer", "manager", "office", "expert", "head", "gm", "account"]
LINE = {"kind": "travel", "description": "往返交通", "quantity": "1", "unit_price": "85.50",
        "part_number": "", "unit": ""}  # fmt: skip


def person(desk, client_staff, client_user, who):
    return {"customer_staff": client_staff, "customer_leader": client_user}.get(who) or getattr(
        desk, who
    )


@pytest.fixture
def sent(draft, desk):
    add_lines(draft, desk.engineer)
    return services.send_statement(draft, actor=desk.manager)


@pytest.mark.parametrize("who", [r for r in PROVIDER_ROLES if r != "engineer"])
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_engineer_marks_out_of_scope(api, client, desk, causes, who, via):
    ticket = desk.open(level="L3")
    body = {"causes": [causes["negligence"].pk], "evidence": "线缆被剪断"}
    if via == "api":
        api.force_authenticate(getattr(desk, who))
        response = api.post("/api/exclusions/", {"ticket": ticket.pk, **body}, format="json")
        assert response.json()["capability"] == "billing.propose"
    else:
        client.force_login(getattr(desk, who))
        assert client.get(f"/billing/tickets/{ticket.pk}/out-of-scope/").status_code == 403
        response = client.post(f"/billing/tickets/{ticket.pk}/out-of-scope/", body)
    assert response.status_code == 403
    assert not Exclusion.objects.exists() and not Statement.objects.exists()


@pytest.mark.parametrize(
    "who", [r for r in PROVIDER_ROLES if r != "engineer"] + ["customer_staff", "customer_leader"]
)
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_engineer_writes_cost_lines(
    api, client, desk, draft, client_staff, client_user, who, via
):
    add_lines(draft, desk.engineer)
    line = draft.lines.first()
    actor = person(desk, client_staff, client_user, who)
    if via == "api":
        api.force_authenticate(actor)
        body = {k: v for k, v in LINE.items() if v}
        added = api.post(f"/api/statements/{draft.pk}/lines/", body, format="json")
        removed = api.delete(f"/api/statements/{draft.pk}/lines/{line.pk}/")
    else:
        client.force_login(actor)
        added = client.post(f"/billing/{draft.pk}/add_line/", LINE)
        removed = client.post(f"/billing/{draft.pk}/remove_line/", {"line": line.pk})
    assert (added.status_code, removed.status_code) == (403, 403)
    assert StatementLine.objects.filter(statement=draft).count() == 5


@pytest.mark.parametrize(
    "who", [r for r in PROVIDER_ROLES if r != "manager"] + ["customer_staff", "customer_leader"]
)
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_maintenance_manager_confirms_and_sends(
    api, client, desk, draft, client_staff, client_user, who, via
):
    add_lines(draft, desk.engineer)
    actor = person(desk, client_staff, client_user, who)
    if via == "api":
        api.force_authenticate(actor)
        response = api.post(f"/api/statements/{draft.pk}/send/", {}, format="json")
        assert response.json()["code"] == "permission_denied"
    else:
        client.force_login(actor)
        response = client.post(f"/billing/{draft.pk}/send/")
    assert response.status_code == 403
    assert Statement.objects.get(pk=draft.pk).state == StatementState.DRAFT


@pytest.mark.parametrize("who", [*PROVIDER_ROLES, "customer_staff"])
@pytest.mark.parametrize("verb", ["approve", "reject"])
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_customers_leader_decides(
    api, client, desk, sent, client_staff, client_user, who, verb, via
):
    actor = person(desk, client_staff, client_user, who)
    if via == "api":
        api.force_authenticate(actor)
        response = api.post(f"/api/statements/{sent.pk}/{verb}/", {"note": "不同意"}, format="json")
        assert response.json()["code"] == "permission_denied"
    else:
        client.force_login(actor)
        response = client.post(f"/billing/{sent.pk}/{verb}/", {"note": "不同意"})
    assert response.status_code == 403
    assert Statement.objects.get(pk=sent.pk).state == StatementState.SENT


def test_the_leader_sees_approve_and_the_staff_only_reads(client, sent, client_staff, client_user):
    client.force_login(client_user)
    page = client.get(f"/billing/{sent.pk}/").content.decode()
    assert 'data-move="approve"' in page and 'data-move="reject"' in page
    client.force_login(client_staff)
    page = client.get(f"/billing/{sent.pk}/").content.decode()
    assert "data-move=" not in page and 'data-testid="line-form"' not in page


def test_api_lists_the_moves_each_caller_may_make(api, draft, desk, client_user):
    api.force_authenticate(desk.manager)
    moves = api.get(f"/api/statements/{draft.pk}/").json()["moves"]
    assert moves["allowed"] == []
    assert [(b["verb"], b["code"]) for b in moves["blocked"]] == [("send", "no_lines")]
    add_lines(draft, desk.engineer)
    moves = api.get(f"/api/statements/{draft.pk}/").json()["moves"]
    assert [m["verb"] for m in moves["allowed"]] == ["send"]
    services.send_statement(draft, actor=desk.manager)
    api.force_authenticate(client_user)
    moves = api.get(f"/api/statements/{draft.pk}/").json()["moves"]
    assert [m["verb"] for m in moves["allowed"]] == ["approve", "reject"]


def test_a_refused_cost_line_keeps_what_was_typed(client, draft, desk):
    client.force_login(desk.engineer)
    typed = {**LINE, "kind": "part", "description": "摄像机电源模块 12V/2A", "unit_price": "133.33"}
    response = client.post(f"/billing/{draft.pk}/add_line/", typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "备件/材料请填写备件编号" in page
    assert 'value="摄像机电源模块 12V/2A"' in page and 'value="133.33"' in page
    assert not draft.lines.exists()


def test_a_refused_move_shows_why_at_the_top(client, sent, client_user):
    client.force_login(client_user)
    client.post(f"/billing/{sent.pk}/approve/", {"note": "同意"})
    response = client.post(f"/billing/{sent.pk}/reject/", {"note": "再想想，费用太高"})
    page = response.content.decode()
    assert response.status_code == 409 and 'data-testid="form-error"' in page
    assert "客户已同意" in page
    assert Statement.objects.get(pk=sent.pk).state == StatementState.APPROVED


def test_a_rejection_without_reason_keeps_the_page(client, sent, client_user):
    client.force_login(client_user)
    response = client.post(f"/billing/{sent.pk}/reject/", {"note": "  "})
    assert response.status_code == 400 and "请填写拒绝的原因" in response.content.decode()
    assert Statement.objects.get(pk=sent.pk).state == StatementState.SENT

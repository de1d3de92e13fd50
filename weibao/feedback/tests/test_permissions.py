"""Who may do what with complaints and callbacks (PRM-1): agents and customers record
complaints, the account manager of the customer responds and resolves, the customer confirms
(or the support center records the customer's word); agents and account managers record
callbacks. Every other role gets 403 through the API and the web, and nothing changes."""

import pytest

from weibao.accounts.choices import Role
from weibao.feedback import services
from weibao.feedback.choices import ComplaintState
from weibao.feedback.models import CallbackRecord, Complaint
from weibao.testing import factories as f
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.feedback.tests.urls")]

PROVIDER_ROLES = ["agent", "engineer", "manager", "office", "expert", "head", "gm", "account"]


def actor_of(desk, client_user, who):
    return client_user if who == "customer" else getattr(desk, who)


def complain(desk, **extra):
    values = {"customer": desk.customer, "site": desk.site, "channel": "phone",
              "text": "工程师迟迟未到现场", "actor": desk.agent, **extra}  # fmt: skip
    return services.record_complaint(**values)


@pytest.fixture
def resolved_complaint(desk):
    complaint = complain(desk)
    services.respond_to_complaint(complaint, text="已致歉", actor=desk.account)
    return services.resolve_complaint(complaint, resolution="调整派工", actor=desk.account)


@pytest.mark.parametrize("who", [r for r in PROVIDER_ROLES if r != "agent"])
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_agents_and_customers_record_complaints(api, client, desk, who, via):
    actor = getattr(desk, who)
    body = {"customer": desk.customer.pk, "channel": "phone", "text": "响应太慢"}
    if via == "api":
        api.force_authenticate(actor)
        response = api.post("/api/complaints/", body, format="json")
        assert response.json()["capability"] == "complaint.record"
    else:
        client.force_login(actor)
        assert client.get("/feedback/complaints/new/").status_code == 403
        response = client.post("/feedback/complaints/new/", {**body, "site": "", "ticket": ""})
    assert response.status_code == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("who", [*[r for r in PROVIDER_ROLES if r != "account"], "customer"])
@pytest.mark.parametrize("verb,body", [("respond", {"text": "已回电"}),
                                       ("resolve", {"resolution": "已处理"})])  # fmt: skip
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_account_manager_handles(
    api, client, desk, client_user, who, verb, body, via
):  # fmt: skip
    complaint = complain(desk)
    if verb == "resolve":
        services.respond_to_complaint(complaint, text="已致歉", actor=desk.account)
    state = Complaint.objects.get(pk=complaint.pk).state
    actor = actor_of(desk, client_user, who)
    if via == "api":
        api.force_authenticate(actor)
        response = api.post(f"/api/complaints/{complaint.pk}/{verb}/", body, format="json")
        assert response.json()["code"] == "permission_denied"
    else:
        client.force_login(actor)
        response = client.post(f"/feedback/complaints/{complaint.pk}/{verb}/", body)
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).state == state


def test_an_account_manager_of_another_customer_cannot_handle(api, desk):
    other = f.CustomerFactory(provider=desk.customer.provider)
    manager = f.UserFactory(provider=desk.customer.provider, roles=[Role.ACCOUNT_MANAGER])
    manager.role_assignments.update(customer=other)
    complaint = complain(desk)
    api.force_authenticate(manager)
    response = api.post(f"/api/complaints/{complaint.pk}/respond/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.OPEN


@pytest.mark.parametrize("who", [r for r in PROVIDER_ROLES if r != "agent"])
@pytest.mark.parametrize("verb", ["confirm", "decline"])
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_the_customer_or_the_agent_on_their_word_closes(
    api, client, desk, resolved_complaint, who, verb, via
):
    body = {"method": "phone", "confirmed_by": "孔工", "declined_by": "孔工", "reason": "没修好"}
    actor = getattr(desk, who)
    pk = resolved_complaint.pk
    if via == "api":
        api.force_authenticate(actor)
        response = api.post(f"/api/complaints/{pk}/{verb}/", body, format="json")
        assert response.json()["code"] == "permission_denied"
    else:
        client.force_login(actor)
        response = client.post(f"/feedback/complaints/{pk}/{verb}/", body)
    assert response.status_code == 403
    assert Complaint.objects.get(pk=pk).state == ComplaintState.RESOLVED


@pytest.mark.parametrize("who", [*[r for r in PROVIDER_ROLES if r not in ("agent", "account")],
                                 "customer"])  # fmt: skip
@pytest.mark.parametrize("via", ["api", "web"])
def test_only_agents_and_account_managers_record_callbacks(
    api, client, desk, client_user, resolved, who, via
):
    actor = actor_of(desk, client_user, who)
    body = {"method": "phone", "respondent": "孔工", "satisfied": True, "score": 5, "note": "好"}
    if via == "api":
        api.force_authenticate(actor)
        response = api.post("/api/callbacks/", {"ticket": resolved.pk, **body}, format="json")
    else:
        client.force_login(actor)
        assert client.get("/feedback/callbacks/").status_code == 403
        prefix = f"t{resolved.pk}-"
        form = {prefix + k: v for k, v in {**body, "satisfied": "yes"}.items()}
        response = client.post(f"/feedback/callbacks/{resolved.pk}/", form)
    assert response.status_code == 403
    assert not CallbackRecord.objects.exists()
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_the_account_manager_records_a_callback(api, desk, resolved):
    api.force_authenticate(desk.account)
    body = {"ticket": resolved.pk, "method": "phone", "respondent": "孔工", "satisfied": True,
            "score": 5}  # fmt: skip
    assert api.post("/api/callbacks/", body, format="json").status_code == 201


def test_complaint_lists_the_moves_of_the_caller(api, desk, client_user, resolved_complaint):
    api.force_authenticate(client_user)
    moves = api.get(f"/api/complaints/{resolved_complaint.pk}/").json()["moves"]
    assert [m["verb"] for m in moves["allowed"]] == ["confirm", "decline"]
    api.force_authenticate(desk.engineer)
    moves = api.get(f"/api/complaints/{resolved_complaint.pk}/").json()["moves"]
    assert moves["allowed"] == []
    assert {b["code"] for b in moves["blocked"]} == {"permission_denied"}


# Rules out of the interfaces: the service works out a customer's complaint.


def test_a_customer_cannot_pick_the_channel_or_backdate(api, desk, client_user):
    from weibao.core import clock

    api.force_authenticate(client_user)
    body = {"text": "夜间无人接听", "channel": "phone", "received_at": "2026-01-01T09:00:00+08:00",
            "customer": desk.customer.pk}  # fmt: skip
    created = api.post("/api/complaints/", body, format="json")
    assert created.status_code == 201, created.json()
    complaint = Complaint.objects.get()
    assert complaint.channel == "portal" and complaint.customer == desk.customer
    assert complaint.received_at == clock.now()


def test_staff_name_the_customer_through_the_site(api, desk):
    api.force_authenticate(desk.agent)
    body = {"text": "报修电话占线", "site": desk.site.pk, "channel": "phone"}
    assert api.post("/api/complaints/", body, format="json").status_code == 201
    assert Complaint.objects.get().customer == desk.customer
    missing = api.post("/api/complaints/", {"text": "x", "channel": "phone"}, format="json")
    assert missing.status_code == 400 and "customer" in missing.json()["fields"]

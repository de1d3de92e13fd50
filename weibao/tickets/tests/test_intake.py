"""Opening requests (TKT-1, TKT-3): by agents, customers and the API; late calls; coverage."""

import contextlib
import datetime as dt

import pytest

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.tickets.models import ClassificationCriterion, Ticket

pytestmark = pytest.mark.django_db


def test_phone_response_clock_starts_at_reported_at_even_when_logged_late(desk):
    ticket = desk.open(level="L2", minutes_ago=50, late_reason="值班电话占线，事后补录")
    phone = ticket.clocks.get(kind="phone_response")
    assert phone.started_at == ticket.reported_at
    assert phone.due_at == ticket.reported_at + dt.timedelta(hours=2)
    assert ticket.number.startswith("WB260302-")


def test_request_time_in_the_future_is_refused_and_nothing_written(desk):
    with pytest.raises(DomainError) as error:
        desk.open(reported_at=clock.now() + dt.timedelta(minutes=10))
    assert error.value.field == "reported_at"
    assert not Ticket.objects.exists()


def test_site_without_active_contract_is_accepted_but_flagged(desk):
    from weibao.testing import factories as f

    uncovered = f.SiteFactory(customer=desk.customer, name="新建端局")
    ticket = desk.open(site=uncovered)
    assert ticket.not_covered
    assert ticket.contract == desk.contract  # the customer's contract still gives the policy
    assert ticket.clocks.filter(kind="phone_response").exists()


@pytest.mark.parametrize("in_a_batch", [False, True], ids=["alone", "in-one-batch"])
def test_the_contract_is_the_latest_started_of_those_naming_the_site_else_the_latest(
    desk, in_a_batch
):
    from weibao.core import batchreads
    from weibao.testing import factories as f

    annex = f.SiteFactory(customer=desk.customer, name="新增机房")
    later = f.make_contract(desk.customer, sites=[annex], start=dt.date(2026, 2, 1))
    uncovered = f.SiteFactory(customer=desk.customer, name="新建端局")
    # one batch shares its reads of contracts: each site must still get its own answer
    with batchreads.shared() if in_a_batch else contextlib.nullcontext():
        named_earlier = desk.open(site=desk.site)
        named_later = desk.open(site=annex)
        named_by_none = desk.open(site=uncovered)
    assert (named_earlier.contract, named_earlier.not_covered) == (desk.contract, False)
    assert (named_later.contract, named_later.not_covered) == (later, False)
    assert (named_by_none.contract, named_by_none.not_covered) == (later, True)


def test_policy_is_snapshotted_so_contract_edits_do_not_move_running_clocks(desk):
    from weibao.contracts.policy import default_policy
    from weibao.contracts.services import write_policy

    ticket = desk.open(level="L2")
    changed = default_policy()
    changed.response["phone_response"]["L2"] = 15
    write_policy(desk.contract, changed)
    ticket.refresh_from_db()
    assert ticket.frozen_policy.response["phone_response"]["L2"] == 120
    assert ticket.clocks.get(kind="phone_response").budget_minutes == 120


def test_level_one_goes_straight_to_the_emergency_path(desk):
    ticket = desk.open(level="L1")
    assert ticket.stage == "emergency"
    codes = list(ticket.emergency_actions.values_list("code", "due_at"))
    assert [c for c, _ in codes][:5] == [
        "notify_leadership", "dispatch_engineer", "form_emergency_team", "expert_remote",
        "form_expert_team",
    ]  # fmt: skip
    assert dict(codes)["form_expert_team"] == ticket.reported_at + dt.timedelta(hours=2)
    kinds = set(ticket.clocks.values_list("kind", flat=True))
    assert kinds == {"phone_response", "onsite_response", "onsite_arrival"}


def test_criteria_suggest_the_level_when_none_is_chosen(desk):
    paralysed = ClassificationCriterion.objects.get(scheme=3, text__startswith="整个系统瘫痪")
    camera = ClassificationCriterion.objects.get(scheme=3, text="摄像机故障")
    ticket = desk.open(level="", criteria=[camera, paralysed])
    assert ticket.level == "L1"
    assert set(ticket.criteria.all()) == {camera, paralysed}


def test_fault_without_level_or_criteria_is_refused(desk):
    with pytest.raises(DomainError) as error:
        desk.open(level="")
    assert error.value.field == "level"


def test_consultation_has_its_own_phone_target_and_no_ladder(desk):
    ticket = desk.open(level="", request_type="consultation")
    assert ticket.clocks.get().budget_minutes == 120
    assert not ticket.escalation_steps.exists()


def test_api_create_answers_201_with_the_contract_fields(api, desk):
    api.force_authenticate(desk.agent)
    response = api.post(
        "/api/tickets/",
        {
            "site": desk.site.pk,
            "channel": "phone",
            "level": "L1",
            "fault_phenomenon": "监控中心无数据",
            "reported_at": "2026-03-02T02:55:00+08:00",
            "contact_name": "钱",
            "contact_phone": "139",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "level", "request_type", "stage", "reported_at", "clocks", "escalations",
            "emergency_actions"} <= set(body)  # fmt: skip
    assert body["reported_at"] == "2026-03-02T02:55:00+08:00"
    phone = next(c for c in body["clocks"] if c["kind"] == "phone_response")
    assert phone["due_at"] == "2026-03-02T03:25:00+08:00"
    assert phone["state"] == "running"
    assert [(e["after_minutes"], e["role"]) for e in body["escalations"]] == [
        (15, "field_engineer"), (30, "emergency_team"), (45, "account_manager"),
        (60, "service_center_gm"),
    ]  # fmt: skip
    assert {a["code"] for a in body["emergency_actions"]} >= {"notify_leadership"}
    assert all("owner_role" in a and "due_at" in a for a in body["emergency_actions"])


def test_api_refuses_future_request_time_with_a_field_error(api, desk):
    api.force_authenticate(desk.agent)
    response = api.post(
        "/api/tickets/",
        {"site": desk.site.pk, "level": "L2", "fault_phenomenon": "x", "contact_name": "a",
         "contact_phone": "1", "reported_at": "2026-03-02T09:00:00+08:00"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "reported_at" in response.json()["fields"]
    assert not Ticket.objects.exists()


def test_customer_portal_request_is_for_their_own_customer_only(api, desk, world):
    api.force_authenticate(world.user_a)
    response = api.post(
        "/api/tickets/",
        {"site": world.site_b.pk, "level": "L3", "fault_phenomenon": "x", "contact_name": "a",
         "contact_phone": "1"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400  # another customer's site is not a valid choice
    response = api.post(
        "/api/tickets/",
        {"site": world.site_a.pk, "level": "L3", "fault_phenomenon": "摄像机无图像",
         "contact_name": "a", "contact_phone": "1"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.customer, ticket.channel) == (world.customer_a, "portal")
    assert api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "start_phone"}).status_code == 403


def _request(desk, **extra):
    from weibao.tickets.services.intake import TicketRequest

    values = {
        "actor": desk.agent, "customer": desk.customer, "site": desk.site, "channel": "phone",
        "fault_phenomenon": "监控中心看不到端局数据", "contact_name": "钱值班员",
        "contact_phone": "13900000002", "reported_at": clock.now(), **extra,
    }  # fmt: skip
    return TicketRequest(**values)


def _opened(ticket) -> dict:
    """What a user sees of a new ticket, but its id and number."""
    from weibao.core.models import ChangeLog

    created = ChangeLog.objects.get(object_id=str(ticket.pk), kind="ticket", action="create")
    history = ChangeLog.objects.filter(
        object_id=str(ticket.pk), kind__in=["ticket", "ticket.opened"]
    )
    return {
        "stage": ticket.stage,
        "level": ticket.level,
        "judged_l1_at": ticket.judged_l1_at,
        "clocks": sorted(ticket.clocks.values_list("kind", "started_at", "due_at")),
        "steps": sorted(ticket.escalation_steps.values_list("target", "due_at")),
        "actions": sorted(ticket.emergency_actions.values_list("code", "due_at")),
        "queue_key": Ticket.objects.values_list("urgency_at", "next_due").get(pk=ticket.pk),
        "history": list(history.order_by("id").values_list("action", "kind")),
        "number_logged": created.changes["number"][1] == ticket.number,
    }


def test_requests_opened_together_are_each_as_if_opened_alone(desk):
    from weibao.tickets.services import open_tickets

    alone = [desk.open(level="L2"), desk.open(level="L1")]
    together = open_tickets([_request(desk, level="L2"), _request(desk, level="L1")])
    assert [t.number for t in together] == [f"WB260302-{t.pk:05d}" for t in together]
    assert len({t.number for t in [*alone, *together]}) == 4
    for one, other in zip(alone, together, strict=True):
        assert _opened(other) == _opened(one)
    assert _opened(together[1])["stage"] == "emergency"
    assert _opened(together[1])["actions"]  # the L1 path, from the request's time
    assert all(_opened(t)["number_logged"] for t in together)  # in the creation's row
    assert _opened(together[0])["history"] == [("create", "ticket"), ("event", "ticket.opened")]


def test_a_batch_with_one_refused_request_opens_none(desk):
    from weibao.tickets.services import open_tickets

    later = clock.now() + dt.timedelta(minutes=10)
    with pytest.raises(DomainError) as error:
        open_tickets([_request(desk, level="L2"), _request(desk, level="L2", reported_at=later)])
    assert error.value.field == "reported_at"
    assert not Ticket.objects.exists()


def test_level_4_under_a_three_level_contract_is_refused_to_a_person_and_taken_as_3_by_the_system(
    desk,
):
    assert desk.contract.policy.level_scheme == 3
    with pytest.raises(DomainError) as error:
        desk.open(level="L4")
    assert error.value.field == "level"
    assert not Ticket.objects.exists()
    ticket = desk.open(level="L4", actor=None, channel="alarm")  # an alarm carrying level 4
    assert ticket.level == "L3"
    assert ticket.clocks.get(kind="phone_response").budget_minutes > 0  # an L3 promise

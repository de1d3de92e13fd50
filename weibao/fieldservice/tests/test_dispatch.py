"""Dispatch (issue item 1): engineers proposed by distance, load and skills; the maintenance
manager confirms, which meets the on-site response clock."""

import pytest

from weibao.accounts.choices import Role
from weibao.core.errors import DomainError
from weibao.fieldservice import services
from weibao.fieldservice.dispatch import propose_engineers, score
from weibao.fieldservice.models import EngineerProfile, Visit
from weibao.notifications.models import Notification
from weibao.sla.models import Clock
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "distance, load, skill, expected",
    [
        (30, 0, True, 30),
        (30, 2, True, 110),  # each open visit weighs like 40 km more
        (30, 0, False, 180),  # not knowing the equipment weighs like 150 km
        (30, 0, None, 30),  # the ticket names no equipment: skills do not count
        (None, 0, True, 1000),  # no service point: far away
        (187.4, 1, True, 227.4),
    ],
)
def test_score_adds_distance_load_and_missing_skill(distance, load, skill, expected):
    assert score(distance, load, skill) == expected


def test_proposals_rank_the_near_idle_engineer_who_knows_the_equipment_first(field):
    desk = field.desk
    here = desk.site.service_point
    suzhou = f.ServicePointFactory(provider=here.provider, latitude=31.31, longitude=120.62)

    def engineer(name, point, skills):
        user = f.UserFactory(username=name, provider=here.provider, roles=[Role.ENGINEER])
        if point is not None:
            EngineerProfile.objects.create(user=user, service_point=point, skills=skills)
        return user

    busy = engineer("busy", here, ["fsu"])
    no_skill = engineer("cameraman", here, ["camera_only"])
    far = engineer("suzhou", suzhou, ["fsu"])
    unknown = engineer("newcomer", None, [])
    for _ in range(2):
        field.visit(engineer=busy)
    ticket = field.onsite_ticket()

    proposals = propose_engineers(ticket)

    assert [p.engineer for p in proposals] == [desk.engineer, busy, no_skill, far, unknown]
    best = proposals[0]
    assert (best.distance_km, best.open_visits, best.skill_match) == (30.0, 0, True)
    assert proposals[1].open_visits == 2 and proposals[1].score == 110
    assert proposals[2].skill_match is False
    assert 150 < proposals[3].distance_km < 250  # Nanjing → Suzhou, great circle
    assert proposals[4].distance_km is None


def test_manager_confirms_and_the_onsite_response_clock_is_met(field, later):
    desk = field.desk
    ticket = field.onsite_ticket()
    now = later(40)

    visit = services.dispatch(ticket, engineer=desk.engineer, actor=desk.manager)

    assert (visit.state, visit.confirmed_by, visit.confirmed_at) == ("planned", desk.manager, now)
    assert visit.proposal["distance_km"] == 30.0
    response = Clock.objects.get(ticket=ticket, kind="onsite_response")
    assert (response.state, response.met_at) == ("met", now)
    ticket.refresh_from_db()
    assert ticket.assigned_engineer == desk.engineer
    assert Notification.objects.filter(kind="visit_dispatched", recipient=desk.engineer).exists()


def test_only_the_maintenance_manager_confirms(field):
    ticket = field.onsite_ticket()
    with pytest.raises(DomainError) as refused:
        services.dispatch(ticket, engineer=field.desk.engineer, actor=field.desk.agent)
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    assert not Visit.objects.exists()


def test_no_dispatch_before_the_customer_confirms_onsite_support(field):
    ticket = field.desk.open(level="L2")
    with pytest.raises(DomainError) as refused:
        services.dispatch(ticket, engineer=field.desk.engineer, actor=field.desk.manager)
    assert refused.value.code == "onsite_not_confirmed"


def test_an_engineer_is_not_dispatched_twice_to_the_same_ticket(field):
    visit = field.visit()
    with pytest.raises(DomainError) as refused:
        services.dispatch(visit.ticket, engineer=field.desk.engineer,
                                actor=field.desk.manager)  # fmt: skip
    assert refused.value.code == "already_dispatched"


def test_only_engineers_are_dispatched(field):
    with pytest.raises(DomainError) as refused:
        services.dispatch(field.onsite_ticket(), engineer=field.desk.agent,
                                actor=field.desk.manager)  # fmt: skip
    assert refused.value.code == "not_engineer"

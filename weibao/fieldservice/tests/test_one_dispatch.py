"""One dispatch path (issue 9 #3, SLA-3, SLA-4, ONS-2, ONS-4): who may dispatch, on-site
support confirmed first, the visit the engineer sees; the arrival clock met only by the
engineer's check-in or by a dispatcher recording it on the engineer's behalf with a reason;
a ticket with an open visit is not resolved; check-out needs the signed report or a
recorded refusal to sign."""

import pytest

from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.core.permissions import PermissionRefused
from weibao.core.selectors import history_for
from weibao.core.workflow import MoveRefused
from weibao.fieldservice import services
from weibao.fieldservice.guards import open_visit_refusal
from weibao.fieldservice.models import Visit
from weibao.fieldservice.testing import REPORT
from weibao.sla.models import Clock
from weibao.tickets import services as tickets

pytestmark = pytest.mark.django_db


def clock_of(ticket, kind="onsite_arrival"):
    return Clock.objects.get(ticket=ticket, kind=kind)


@pytest.mark.parametrize(
    "who, level, allowed",
    [
        ("manager", "L2", True),
        ("manager", "L1", True),
        ("office", "L1", True),  # the service office manager dispatches in L1 only
        ("office", "L2", False),
        ("engineer", "L2", False),
        ("agent", "L1", False),
        ("account", "L2", False),
    ],
)
def test_who_may_dispatch(field, who, level, allowed):
    ticket = field.onsite_ticket(level=level)
    actor = getattr(field.desk, who)
    if allowed:
        visit = services.dispatch(ticket, engineer=field.desk.engineer, actor=actor)
        assert visit.confirmed_by == actor and visit.state == "planned"
        return
    with pytest.raises(PermissionRefused) as refused:
        services.dispatch(ticket, engineer=field.desk.engineer, actor=actor)
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    assert refused.value.capability == "ticket.dispatch"
    assert not Visit.objects.exists()
    assert clock_of(ticket, "onsite_response").met_at is None


@pytest.mark.parametrize("stage_moves", [[], ["start_phone"]])
def test_dispatch_before_the_customer_confirmed_onsite_support_is_refused(field, stage_moves):
    ticket = field.desk.open(level="L2", asset=field.asset)
    for verb in stage_moves:
        tickets.move(ticket, verb, actor=field.desk.engineer)
    with pytest.raises(DomainError) as refused:
        services.dispatch(ticket, engineer=field.desk.engineer, actor=field.desk.manager)
    assert refused.value.code == "onsite_not_confirmed"
    assert not Visit.objects.exists()


def test_dispatch_meets_the_response_clock_but_never_the_arrival_clock(field, later):
    ticket = field.onsite_ticket()
    now = later(20)
    visit = services.dispatch(ticket, engineer=field.desk.engineer, actor=field.desk.manager)
    assert clock_of(ticket, "onsite_response").met_at == now
    assert clock_of(ticket).met_at is None
    assert list(Visit.objects.filter(engineer=field.desk.engineer)) == [visit]  # on the phone


def test_a_site_without_serving_point_or_distance_is_told_only_table_13_applies(field):
    site = field.desk.site
    site.service_point, site.road_distance_km = None, None
    site.save()
    ticket = field.onsite_ticket()
    assert ticket.distance_km is None

    assert "表 13" in services.visits.arrival_rule_notice(ticket)
    visit = services.dispatch(ticket, engineer=field.desk.engineer, actor=field.desk.manager)
    assert ChangeLog.objects.filter(kind="visit.dispatched", message__contains="表 13").exists()
    assert ticket.pk == visit.ticket_id


def test_only_the_engineer_checks_in_their_own_visit(field):
    visit = field.visit()
    for actor in (field.desk.manager, field.desk.agent):
        with pytest.raises(MoveRefused) as refused:
            services.check_in(visit, actor=actor)
        assert refused.value.status == 403
    assert clock_of(visit.ticket).met_at is None


def test_a_dispatcher_records_the_arrival_on_behalf_with_a_reason(field, later):
    visit = field.visit()
    arrived = later(50)
    later(60)
    with pytest.raises(MoveRefused) as no_reason:
        services.record_arrival(visit, reason=" ", actor=field.desk.manager)
    assert no_reason.value.code == "note_required"
    with pytest.raises(MoveRefused) as engineer:
        services.record_arrival(visit, reason="手机没电", actor=field.desk.engineer)
    assert engineer.value.code == "permission_denied" and engineer.value.status == 403
    assert clock_of(visit.ticket).met_at is None

    visit = services.record_arrival(
        visit, reason="工程师手机没电，电话报到", actor=field.desk.manager, arrived_at=arrived
    )

    assert (visit.state, visit.checked_in_at, visit.arrival_on_behalf) == ("on_site", arrived, True)
    assert clock_of(visit.ticket).met_at == arrived
    timeline = ChangeLog.objects.filter(kind="ticket.clock", message__contains="代为记录")
    assert timeline.filter(message__contains="工程师手机没电").exists()


def test_check_out_without_the_signed_report_is_refused(field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    services.create_visit_document(visit, kind="service_report", data=REPORT,
                                   actor=field.desk.engineer)  # fmt: skip
    with pytest.raises(MoveRefused) as refused:
        services.check_out(visit, actor=field.desk.engineer)
    assert refused.value.code == "service_report_missing"
    visit.refresh_from_db()
    assert visit.state == "on_site"


def test_a_refusal_to_sign_with_a_reason_lets_the_engineer_check_out(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    with pytest.raises(DomainError) as nothing:
        services.record_signature_refused(visit, reason="不同意结论", actor=engineer)
    assert nothing.value.code == "service_report_missing"
    report = services.create_visit_document(visit, kind="service_report", data=REPORT,
                                            actor=engineer)  # fmt: skip
    with pytest.raises(DomainError) as no_reason:
        services.record_signature_refused(visit, reason="  ", actor=engineer)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(PermissionRefused):
        services.record_signature_refused(visit, reason="x", actor=field.desk.agent)

    doc = services.record_signature_refused(
        visit, reason="客户负责人不在，值班员拒签", actor=engineer
    )
    visit = services.check_out(visit, actor=engineer)

    assert doc.pk == report.pk and doc.state == "signature_refused"
    assert doc.refused_reason == "客户负责人不在，值班员拒签"
    assert visit.state == "done"
    assert any(e.kind == "document.signature_refused" for e in history_for(visit.ticket))


def test_an_open_visit_refuses_resolving(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    refusal = open_visit_refusal(visit.ticket, engineer)
    assert refusal is not None and refusal.code == "visit_open"
    field.signed(services.create_visit_document(visit, kind="service_report", data=REPORT,
                                                actor=engineer))  # fmt: skip
    services.check_out(visit, actor=engineer)
    assert open_visit_refusal(visit.ticket, engineer) is None


def resolve(ticket, actor):
    from weibao.tickets.models import ResolutionCause

    cause = ResolutionCause.objects.filter(active=True).first()
    return tickets.resolve(ticket, cause=cause, fix="远程重启采集服务", actor=actor)


def test_resolving_a_ticket_with_an_open_visit_is_refused(field):
    visit = field.visit()
    with pytest.raises(DomainError) as refused:
        resolve(visit.ticket, field.desk.engineer)
    assert refused.value.code == "visit_open"
    visit.ticket.refresh_from_db()
    assert visit.ticket.resolved_at is None


def test_the_arrival_clock_is_never_met_by_resolving(field):
    visit = field.visit()
    services.cancel_visit(visit, reason="远程已恢复", actor=field.desk.manager)
    resolve(visit.ticket, field.desk.engineer)
    arrival = clock_of(visit.ticket)
    assert arrival.met_at is None or arrival.state != "met"


def test_the_service_report_is_filled_from_the_tickets_resolution(field):
    from weibao.fieldservice.services.documents import initial_data

    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    ticket = visit.ticket
    ticket.fix, ticket.prevention = "更换电源模块", "每季度检查电源"
    values = initial_data(visit, "service_report")
    assert values["phenomenon"] == ticket.fault_phenomenon
    assert (values["actions"], values["prevention"]) == ("更换电源模块", "每季度检查电源")

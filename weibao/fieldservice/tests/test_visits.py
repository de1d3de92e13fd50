"""On site: check-in meets the arrival clock (with the phone's position when given); the
engineer cannot check out before the customer signed the technical service report (ONS-4)."""

import pytest

from weibao.accounts.choices import Role
from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.documents import services as documents
from weibao.fieldservice import services
from weibao.fieldservice.testing import REPORT
from weibao.sla.models import Clock
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def test_check_in_meets_the_arrival_clock_and_keeps_the_position(field, later):
    visit = field.visit()
    services.depart(visit, actor=field.desk.engineer)
    arrived = later(95)

    visit = services.check_in(visit, actor=field.desk.engineer, lat="32.041501", lon=118.7281)

    assert (visit.state, visit.checked_in_at) == ("on_site", arrived)
    assert (str(visit.check_in_lat), str(visit.check_in_lon)) == ("32.041501", "118.728100")
    arrival = Clock.objects.get(ticket=visit.ticket, kind="onsite_arrival")
    assert (arrival.state, arrival.met_at) == ("met", arrived)
    assert ChangeLog.objects.filter(kind="visit.checked_in", site=field.desk.site).exists()


def test_check_in_without_a_position_is_fine(field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    assert visit.state == "on_site" and visit.check_in_lat is None


def test_a_late_arrival_stays_recorded_as_breached(field, later):
    from weibao.escalations.runner import tick

    visit = field.visit()
    later(13 * 60)  # L2 at 30 km: the later of 12 h (表 13) and 5 h (表 14) binds
    tick(deliver=False)
    services.check_in(visit, actor=field.desk.engineer)
    arrival = Clock.objects.get(ticket=visit.ticket, kind="onsite_arrival")
    assert arrival.state == "breached" and arrival.met_at is not None


def test_only_the_dispatched_engineer_checks_in(field):
    stranger = f.UserFactory(provider=field.desk.engineer.provider, roles=[Role.ENGINEER])
    with pytest.raises(DomainError) as refused:
        services.check_in(field.visit(), actor=stranger)
    assert refused.value.code == "not_your_visit"


def test_check_out_is_refused_until_the_customer_signed_the_service_report(field, later):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    later(30)
    with pytest.raises(DomainError) as refused:
        services.check_out(visit, actor=engineer)
    assert refused.value.code == "service_report_missing"

    report = services.create_visit_document(
        visit, kind="service_report", data=REPORT, actor=engineer
    )
    documents.request_signature(report, actor=engineer)
    with pytest.raises(DomainError) as still:
        services.check_out(visit, actor=engineer)
    assert still.value.code == "service_report_missing"

    field.signed(report)
    later(15)
    visit = services.check_out(visit, actor=engineer)

    assert visit.state == "done"
    assert visit.minutes_on_site == 45


def test_a_signed_report_of_another_visit_does_not_count(field):
    engineer = field.desk.engineer
    first = services.check_in(field.visit(), actor=engineer)
    field.signed(services.create_visit_document(first, kind="service_report", data=REPORT,
                                                actor=engineer))  # fmt: skip
    second = services.check_in(field.visit(), actor=engineer)
    with pytest.raises(DomainError) as refused:
        services.check_out(second, actor=engineer)
    assert refused.value.code == "service_report_missing"


def test_moves_out_of_order_are_refused_with_the_state_named(field):
    visit = field.visit()
    with pytest.raises(DomainError) as refused:
        services.check_out(visit, actor=field.desk.engineer)
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)
    assert "已派工" in refused.value.message


def test_a_visit_is_cancelled_with_a_reason(field):
    visit = field.visit()
    with pytest.raises(DomainError):
        services.cancel_visit(visit, reason=" ", actor=field.desk.manager)
    visit = services.cancel_visit(visit, reason="远程已恢复", actor=field.desk.manager)
    assert (visit.state, visit.cancel_reason) == ("cancelled", "远程已恢复")

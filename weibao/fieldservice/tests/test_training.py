"""Training records (TRN-1): a session is at most 2 hours (the contract's
`training_max_minutes`); longer is refused with its duration named; costs are split and a
training record is drafted for the customer to sign."""

import datetime as dt
from decimal import Decimal

import pytest

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.fieldservice import services
from weibao.fieldservice.models import TrainingSession

pytestmark = pytest.mark.django_db


def train(field, minutes, **extra):
    visit = extra.pop("visit", None) or services.check_in(field.visit(), actor=field.desk.engineer)
    start = clock.now()
    values = {
        "customer": field.desk.customer,
        "site": field.desk.site,
        "origin": visit,
        "topic": "动环监控日常维护",
        "trainees": "钱值班员\n孙值班员\n",
        "method": "hands_on",
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
        "provider_cost": Decimal("300"),
        "customer_cost": Decimal("120.50"),
        "actor": field.desk.engineer,
        **extra,
    }
    return services.record_training(**values)


def test_a_session_of_2_hours_1_minute_is_refused_naming_its_length(field):
    with pytest.raises(DomainError) as refused:
        train(field, 121)
    assert refused.value.code == "training_too_long"
    assert "2 小时 1 分钟" in refused.value.message
    assert "2 小时" in refused.value.message.split("最多")[1]
    assert not TrainingSession.objects.exists()


def test_exactly_2_hours_is_accepted_with_a_training_record_to_sign(field):
    session = train(field, 120)

    assert session.duration_minutes == 120
    assert session.trainee_list == ["钱值班员", "孙值班员"]
    record = session.record
    assert (record.kind, record.state, record.ticket) == ("training_record", "draft",
                                                          session.origin.ticket)  # fmt: skip
    assert record.data["duration"] == "2 小时"
    assert record.data["customer_cost"] == "120.50"
    assert record.data["method"] == "上机操作"
    signed = field.signed(record, role="maintenance")
    assert signed.state == "signed"


def test_the_limit_comes_from_the_tickets_policy(field):
    visit = services.check_in(field.visit(), actor=field.desk.engineer)
    visit.ticket.policy["terms"]["training_max_minutes"] = 90
    visit.ticket.save(update_fields=["policy"])
    with pytest.raises(DomainError, match="1 小时 31 分钟"):
        train(field, 91, visit=visit)


def test_a_session_must_end_after_it_starts(field):
    with pytest.raises(DomainError) as refused:
        train(field, 0)
    assert refused.value.code == "training_times"


@pytest.mark.parametrize("start", [dt.datetime(1, 1, 1, 9, tzinfo=dt.UTC),
                                   dt.datetime(9999, 12, 30, 9, tzinfo=dt.UTC)])  # fmt: skip
def test_an_implausible_session_time_is_refused_on_its_field(field, start):
    with pytest.raises(DomainError) as refused:
        train(field, 60, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    assert refused.value.field == "starts_at"
    assert not TrainingSession.objects.exists()

"""The demo's feedback: loaded on top of the demo world, twice without duplicating."""

import io

import pytest
from django.core.management import call_command

from weibao.accounts.models import User
from weibao.billing.models import Statement
from weibao.demo.feedback import load_feedback
from weibao.feedback.choices import ComplaintState
from weibao.feedback.models import CallbackRecord, Complaint
from weibao.feedback.selectors import awaiting_feedback
from weibao.tenancy.models import Customer

pytestmark = pytest.mark.django_db


def test_demo_feedback_is_there_once(causes_seeded):
    call_command("demo", stdout=io.StringIO())
    customer = Customer.objects.get(code="huadong")
    users = {u.username: u for u in User.objects.all()}

    load_feedback(customer, users)
    counts = (Complaint.objects.count(), Statement.objects.count(), CallbackRecord.objects.count())
    load_feedback(customer, users)

    assert (Complaint.objects.count(), Statement.objects.count(),
            CallbackRecord.objects.count()) == counts  # fmt: skip
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == {ComplaintState.OPEN, ComplaintState.CLOSED}
    # the demo's repair and loan are billed too; the ticket's statement is the feedback demo's
    statement = Statement.objects.get(subject_type__model="ticket")
    assert statement.state == "sent" and str(statement.total) == "1160.00"
    survey = CallbackRecord.objects.get(method="portal_survey")
    assert survey.callback.satisfied and survey.ticket.stage == "closed"
    # the feedback demo leaves one resolved ticket waiting (the field-service demo may add more)
    waiting = awaiting_feedback(users["customer"])
    assert waiting.exists()
    assert all(t.stage == "resolved" for t in waiting)


@pytest.fixture
def causes_seeded(db):
    from django.apps import apps

    from weibao.billing import seed

    seed.load(apps)

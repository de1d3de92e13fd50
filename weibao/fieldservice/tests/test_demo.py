"""The demo's field service: visits in several states, signed documents, one waiting for the
customer; loading twice changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType

from weibao.accounts.models import User
from weibao.demo.build import load_demo
from weibao.demo.fieldservice import load_fieldservice
from weibao.documents.models import SignedDocument
from weibao.documents.services import verify_document
from weibao.fieldservice.models import EngineerProfile, TrainingSession, Visit
from weibao.tenancy.models import Customer
from weibao.testing.shared import shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo world once for the module (seconds); each test starts from it, undone after."""
    yield from shared_data(django_db_blocker, load_demo)


@pytest.fixture
def demo_world(_demo_loaded, db):
    """The demo world, as `load_demo()` leaves it."""


def test_demo_field_service_is_there_once(demo_world):
    customer = Customer.objects.get(code="huadong")
    users = {u.username: u for u in User.objects.all()}

    load_fieldservice(customer, users)
    counts = (Visit.objects.count(), SignedDocument.objects.count())
    load_fieldservice(customer, users)

    assert (Visit.objects.count(), SignedDocument.objects.count()) == counts
    assert set(Visit.objects.values_list("state", flat=True)) == {
        "en_route", "on_site", "cancelled", "done"
    }  # fmt: skip
    assert EngineerProfile.objects.get(user__username="engineer2").service_point.name == (
        "苏州服务网点"
    )
    signed = SignedDocument.objects.filter(kind="service_report", state="signed").get()
    assert verify_document(signed)
    waiting = SignedDocument.objects.filter(kind="service_report", state="awaiting_signature")
    # one visit report waits; phone/remote resolutions of the demo add their own (issue 9 #4)
    visit_type = ContentType.objects.get_for_model(Visit)
    assert waiting.filter(subject_type=visit_type).get().customer == customer
    assert waiting.exclude(subject_type=visit_type).exists()
    assert TrainingSession.objects.get().record.state == "signed"
    done = Visit.objects.get(state="done")
    assert done.minutes_on_site == 198 and done.ticket.stage == "resolved"


@pytest.mark.urls("weibao.fieldservice.tests.urls")
def test_demo_screens_show_the_field_service(client, demo_world):
    customer = Customer.objects.get(code="huadong")
    load_fieldservice(customer, {u.username: u for u in User.objects.all()})
    on_site = Visit.objects.get(state="on_site")
    done = Visit.objects.get(state="done")

    client.force_login(User.objects.get(username="engineer"))
    today = client.get("/fieldservice/today/").content.decode()
    assert on_site.ticket.number in today and 'data-state="on_site"' in today
    visit_page = client.get(f"/fieldservice/visits/{done.pk}/").content.decode()
    assert "培训记录" in visit_page and "已签字" in visit_page
    en_route = Visit.objects.get(state="en_route")
    client.force_login(User.objects.get(username="manager"))
    assert client.get(f"/fieldservice/tickets/{en_route.ticket_id}/dispatch/").status_code == 200

    client.force_login(User.objects.get(username="customer"))
    portal = client.get("/documents/").content.decode()
    assert "技术服务报告" in portal and "/sign/" in portal

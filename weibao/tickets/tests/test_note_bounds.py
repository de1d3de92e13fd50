"""A ticket's notes and resolution texts through the web are bounded like every note
(issue 11): over 10,000 characters is refused on the field and nothing is stored."""

import pytest

from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db
LONG = "长" * 10_001


def test_web_resolve_refuses_a_fix_over_ten_thousand_characters(client, desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    client.force_login(desk.engineer)
    cause = ResolutionCause.objects.get(code="equipment_fault")
    response = client.post(f"/tickets/{ticket.pk}/resolve/",
                           {"resolve-cause": cause.pk, "resolve-fix": LONG})  # fmt: skip
    assert response.status_code == 400
    assert 'maxlength="10000"' in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.fix) == ("phone_support", "")


def test_web_move_refuses_a_note_over_ten_thousand_characters(client, desk):
    ticket = desk.open(level="L2")
    client.force_login(desk.engineer)
    response = client.post(f"/tickets/{ticket.pk}/start_phone/", {"start_phone-note": LONG})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.stage != "phone_support"

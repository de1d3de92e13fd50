"""Empty values in API answers are `null`, and the OpenAPI schema says which fields may be
`null`: a consultation has no fault level (not `""`), a complaint without a ticket has no
ticket number, an unanswered complaint no first responder."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def components(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def _nullable(prop) -> bool:
    return bool(prop.get("nullable")) or any(
        ref.get("$ref", "").endswith("/NullEnum") for ref in prop.get("oneOf", [])
    )


def test_a_ticket_without_level_answers_null_not_an_empty_enum_member(api, desk, components):
    ticket = desk.open(level="", request_type="consultation")
    api.force_authenticate(desk.agent)
    body = api.get(f"/api/tickets/{ticket.pk}/").json()
    assert body["level"] is None
    assert body["remote_consent_method"] is None
    ticket_schema = components["Ticket"]["properties"]
    assert _nullable(ticket_schema["level"])
    assert _nullable(ticket_schema["remote_consent_method"])
    assert "" not in components["FaultLevelEnum"]["enum"]


def test_a_complaint_without_ticket_or_answer_answers_nulls(api, world, components):
    api.force_authenticate(world.user_a)
    response = api.post("/api/complaints/", {"text": "工程师迟到"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ticket_number"] is None
    assert body["first_response_by"] is None
    assert body["confirmation_method"] is None
    complaint = components["Complaint"]["properties"]
    for name in ("ticket_number", "first_response_by", "resolved_by", "confirmation_method"):
        assert _nullable(complaint[name]), name
    # what is never null stays declared so
    assert not _nullable(complaint["text"])
    assert not _nullable(components["Customer"]["properties"]["contacts"])


def test_nullable_answers_in_the_other_apps(components):
    assert _nullable(components["Sale"]["properties"]["total"])
    assert _nullable(components["Statement"]["properties"]["decided_by"])
    assert _nullable(components["SignedDocument"]["properties"]["ticket_number"])
    assert _nullable(components["Repair"]["properties"]["part_number"])
    assert _nullable(components["Repair"]["properties"]["outcome"])
    assert _nullable(components["InspectionVisit"]["properties"]["holiday"])

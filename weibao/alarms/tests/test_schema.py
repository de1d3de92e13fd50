"""The OpenAPI schema describes the alarm intake as it answers: the captured bodies of each
format validate against the documented request, and the real answers (accepted, refused,
malformed) against the documented responses."""

import json

import jsonschema
import pytest

from weibao.alarms.tests.conftest import NOW, fixture_bytes
from weibao.alarms.urls import KINDS

pytestmark = pytest.mark.django_db

GENERIC_MAPPING = {"items": "data.alarms", "key": "alarmId", "time": "occurTime",
                   "level": "alarmLevel", "site": "stationCode", "device": "deviceSn",
                   "recovery": "alarmStatus", "recovery_values": ["0"]}  # fmt: skip


@pytest.fixture
def schema(client, django_user_model):
    admin = django_user_model.objects.create_superuser("schema-admin", password=None)
    client.force_login(admin)
    document = client.get("/api/schema/?format=json").json()
    client.logout()
    return document


def _valid(document: dict, schema: dict, instance) -> None:
    """Validate `instance` against `schema`, its `$ref`s into the document's components."""
    jsonschema.validate(instance, {**schema, "components": document["components"]})


def _answer(document, path: str, status: int, media="application/json") -> dict:
    return document["paths"][path]["post"]["responses"][str(status)]["content"][media]["schema"]


def test_every_address_is_documented_with_its_format_and_the_retry_answer(schema):
    operations = [schema["paths"]["/api/v2/alerts"]["post"]]
    for kind in KINDS.split("|"):  # each format at its own address
        operation = schema["paths"][f"/api/alarms/{kind}/{{slug}}/"]["post"]
        media = "text/xml" if kind == "b-interface" else "application/json"
        assert list(operation["requestBody"]["content"]) == [media]
        assert "404" in operation["responses"]
        operations.append(operation)
    for operation in operations:
        assert {"200", "400", "401", "403", "503"} <= set(operation["responses"])
        assert "Retry-After" in operation["responses"]["503"]["headers"]
    assert {"alarmSourceToken", "alarmSignature"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.parametrize(
    ("kind", "fixture"),
    [("alertmanager", "alertmanager_group.json"),
     ("alertmanager", "alertmanager_group_truncated.json"),
     ("grafana", "grafana.json"), ("zabbix", "zabbix_problem.json"),
     ("zabbix", "zabbix_recovery.json"), ("generic", "generic_donghuan.json")],
)  # fmt: skip
def test_each_formats_captured_body_is_what_the_schema_documents_and_so_is_the_answer(
    schema, make_source, post, frozen_clock, kind, fixture
):
    frozen_clock(NOW)
    path = f"/api/alarms/{kind}/{{slug}}/"
    body = fixture_bytes(fixture)
    request = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    _valid(schema, request["schema"], json.loads(body))
    source = make_source(kind, mapping=GENERIC_MAPPING if kind == "generic" else {})
    response = post(source, body)
    assert response.status_code == 200
    _valid(schema, _answer(schema, path, 200), response.json())


def test_the_alertmanager_api_body_and_its_answers_are_documented(
    schema, make_source, client, frozen_clock
):
    frozen_clock(NOW)
    path = "/api/v2/alerts"
    body = fixture_bytes("am_api_alerts.json")
    request = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    _valid(schema, request["schema"], json.loads(body))
    source = make_source("am_api")
    send = {"data": body, "content_type": "application/json"}
    accepted = client.post(path, HTTP_AUTHORIZATION=f"Bearer {source.token}", **send)
    assert accepted.status_code == 200
    _valid(schema, _answer(schema, path, 200), accepted.json())
    for status, headers in [(401, {}), (403, {"HTTP_AUTHORIZATION": "Bearer wrong"})]:
        refused = client.post(path, **send, **headers)
        assert refused.status_code == status
        _valid(schema, _answer(schema, path, status), refused.json())
    malformed = client.post(path, data=b"[{}]", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {source.token}")  # fmt: skip
    assert malformed.status_code == 400
    _valid(schema, _answer(schema, path, 400), malformed.json())
    with pytest.raises(jsonschema.ValidationError):  # what the reader refuses, so does the schema
        _valid(schema, request["schema"], [{}])


def test_a_b_interface_source_is_documented_as_xml_in_and_out(
    schema, make_source, post, frozen_clock
):
    frozen_clock(NOW)
    path = "/api/alarms/b-interface/{slug}/"
    request = schema["paths"][path]["post"]["requestBody"]["content"]["text/xml"]["schema"]
    assert request["type"] == "string" and "SEND_ALARM" in request["description"]
    source = make_source("b_interface")
    response = post(source, fixture_bytes("b_send_alarm_begin.xml"), content_type="text/xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert "text/xml" in schema["paths"][path]["post"]["responses"]["200"]["content"]

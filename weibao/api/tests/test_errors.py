"""Every API error answers with one JSON envelope `{"code", "message", "fields"}`: never an
HTML page, a Python repr, a model or a table name; the OpenAPI schema lists these answers."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from weibao.sites.models import Site

pytestmark = pytest.mark.django_db

LEAKS = re.compile(r"ErrorDetail|Traceback|<html|<!DOCTYPE|tickets_ticket|sites_site|model '")


def envelope_of(response, status: int) -> dict:
    """The answer's body, after checking it is the envelope with nothing leaked."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    text = response.content.decode()
    assert not LEAKS.search(text), text
    body = json.loads(text)
    assert {"code", "message", "fields"} <= set(body), body
    assert set(body) <= {"code", "message", "fields", "capability"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    for messages in body["fields"].values():
        assert messages and all(isinstance(m, str) for m in messages), body
    return body


def test_bad_input_answers_400_naming_the_field(api, world):
    api.force_authenticate(world.account_manager)
    response = api.post(
        "/api/sites/",
        {"customer": world.customer_a.pk, "name": "新端局", "code": "EO-99", "kind": "spaceship"},
        format="json",
    )
    body = envelope_of(response, 400)
    assert body["code"] == "invalid"
    assert "kind" in body["fields"]
    assert "kind" in body["message"]


def test_nested_field_errors_are_named_by_their_path_not_a_repr(api, world):
    api.force_authenticate(world.admin)
    policy = api.get(f"/api/contracts/{world.contract_a.pk}/policy/").json()
    policy["distance_tiers"][0]["minutes"] = 0
    policy["response"]["phone_response"]["L1"] = -5
    response = api.put(f"/api/contracts/{world.contract_a.pk}/policy/", policy, format="json")
    body = envelope_of(response, 400)
    assert {"distance_tiers.0.minutes", "response.phone_response.L1"} <= set(body["fields"])


def test_a_list_fields_item_errors_are_the_fields_own():
    from rest_framework import serializers

    from weibao.api.errors import exception_handler

    class Endpoint(serializers.Serializer):
        kinds = serializers.ListField(child=serializers.ChoiceField(choices=["ticket"]))

    body = Endpoint(data={"kinds": ["ticket", "gossip"]})
    assert not body.is_valid()
    answer = exception_handler(serializers.ValidationError(body.errors), {}).data
    assert list(answer["fields"]) == ["kinds"]
    assert "gossip" in answer["fields"]["kinds"][0] and "gossip" in answer["message"]


def test_a_body_that_is_not_an_object_answers_400(api, world):
    api.force_authenticate(world.account_manager)
    body = envelope_of(api.post("/api/sites/", [1, 2], format="json"), 400)
    assert list(body["fields"]) == ["non_field_errors"]
    body = envelope_of(api.post("/api/sites/", "{bad", content_type="application/json"), 400)
    assert body["code"] == "parse_error"


def test_no_credentials_answer_401(api, world):
    body = envelope_of(api.get("/api/tickets/"), 401)
    assert body["code"] == "not_authenticated"


def test_a_missing_capability_answers_403_naming_it(api, world):
    api.force_authenticate(world.user_a)  # customer staff: no master.edit
    response = api.post("/api/sites/", {"name": "x"}, format="json")
    body = envelope_of(response, 403)
    assert body["code"] == "permission_denied"


def test_unknown_address_and_unknown_object_answer_404(api, world):
    api.force_authenticate(world.admin)
    assert envelope_of(api.get("/api/no-such-thing/"), 404)["code"] == "not_found"
    body = envelope_of(api.get("/api/sites/999999/"), 404)
    assert body["code"] == "not_found"
    assert "Site" not in body["message"]
    # another customer's object answers exactly like a missing one
    api.force_authenticate(world.user_a)
    assert envelope_of(api.get(f"/api/sites/{world.site_b.pk}/"), 404) == body


def test_a_method_the_address_does_not_take_answers_405(api, world):
    api.force_authenticate(world.admin)
    body = envelope_of(api.put("/api/sites/", {}, format="json"), 405)
    assert body["code"] == "method_not_allowed"


def test_a_move_from_the_wrong_state_answers_409(api, desk):
    ticket = desk.open(level="L3")
    api.force_authenticate(desk.agent)
    response = api.post(
        f"/api/tickets/{ticket.pk}/move/", {"action": "reopen", "note": "再看看"}, format="json"
    )
    assert envelope_of(response, 409)["code"] == "wrong_state"


def test_deleting_what_others_refer_to_answers_409_without_model_names(api, world):
    api.force_authenticate(world.admin)
    response = api.delete(f"/api/sites/{world.site_a.pk}/")
    body = envelope_of(response, 409)
    assert body["code"] == "in_use"
    assert "Asset" not in body["message"] and "protected" not in body["message"]
    assert Site.objects.filter(pk=world.site_a.pk).exists()


def test_a_body_over_the_limit_answers_413_and_writes_nothing(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api.force_authenticate(world.account_manager)
    payload = json.dumps({"customer": world.customer_a.pk, "name": "x" * 20_000})
    count = Site.objects.count()
    response = api.post("/api/sites/", payload, content_type="application/json")
    assert envelope_of(response, 413)["code"] == "too_large"
    # a form body, read by Django itself
    response = api.post(
        "/api/sites/", {"name": "x" * 20_000}, content_type="application/x-www-form-urlencoded"
    )
    assert envelope_of(response, 413)["code"] == "too_large"
    assert Site.objects.count() == count


def test_a_big_form_field_in_a_multipart_body_answers_413(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api.force_authenticate(world.account_manager)
    response = api.post("/api/sites/", {"name": "x" * 20_000}, format="multipart")
    assert envelope_of(response, 413)["code"] == "too_large"


@pytest.mark.urls("weibao.api.tests.urls_errors")
def test_too_many_requests_answer_429_with_retry_after(api):
    response = api.get("/api/test/throttled/")
    assert envelope_of(response, 429)["code"] == "throttled"
    assert response["Retry-After"] == "30"


@pytest.mark.urls("weibao.api.tests.urls_errors")
def test_an_unexpected_error_answers_500_in_json_and_is_logged(caplog):
    client = APIClient(raise_request_exception=False)
    response = client.get("/api/test/broken/")
    body = envelope_of(response, 500)
    assert body["code"] == "server_error"
    assert "column" not in body["message"]
    assert "RuntimeError" in caplog.text  # the traceback is in the log, not in the answer


@pytest.mark.urls("weibao.api.tests.urls_errors")
def test_an_error_outside_the_api_views_answers_500_in_json_under_api_only():
    client = Client(raise_request_exception=False)
    body = envelope_of(client.get("/api/test/plain-broken/"), 500)
    assert body["code"] == "server_error"
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert not page["Content-Type"].startswith("application/json")


def test_openapi_lists_the_error_answers_for_every_operation(client, world):
    client.force_login(world.admin)
    schema = client.get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "fields"]
    missing = []
    for address, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "405", "409", "412", "413", "429", "500"):
                answer = operation["responses"].get(status)
                ref = (answer or {}).get("content", {}).get("application/json", {}).get("schema")
                if ref != {"$ref": "#/components/schemas/Error"}:
                    missing.append(f"{method.upper()} {address} {status}")
    assert not missing, missing[:20]


def test_a_nul_character_is_refused_on_its_field_and_nothing_is_stored(api, world):
    api.force_authenticate(world.account_manager)
    sites = Site.objects.count()
    body = envelope_of(api.get("/api/sites/?search=EO-%00"), 400)
    assert body["code"] == "invalid" and list(body["fields"]) == ["search"]
    new_site = {"customer": world.customer_a.pk, "name": "新端局\x00", "code": "EO-98",
                "kind": "end_office", "address": "南京市", "latitude": 32,
                "longitude": 118.8}  # fmt: skip
    body = envelope_of(api.post("/api/sites/", new_site, format="json"), 400)
    assert body["fields"] == {"name": ["不能包含空字符（\\0）。"]}
    body = envelope_of(api.post("/api/sites/", {**new_site, "kind": "\x00"}), 400)  # a form
    assert body["fields"] == {
        "name": ["不能包含空字符（\\0）。"],
        "kind": ["不能包含空字符（\\0）。"],
    }
    assert Site.objects.count() == sites


def test_a_nul_character_in_a_put_or_patch_form_is_refused_on_its_field(api, world):
    """Django parses only a POST's form; a PATCH or PUT form with NUL in a field that is
    looked up (a related code) would reach PostgreSQL and answer 500 without the check."""
    from weibao.contracts.models import Contract

    api.force_authenticate(world.admin)
    contract = Contract.objects.filter(customer=world.customer_a).first()
    before = (contract.customer_id, contract.title)
    for method, form in (("patch", "multipart"), ("put", "multipart")):
        response = getattr(api, method)(
            f"/api/contracts/{contract.pk}/", {"customer": "A\x00", "title": "新\x00"}, format=form
        )
        body = envelope_of(response, 400)
        assert set(body["fields"]) == {"customer", "title"}, (method, body)
    response = api.generic(
        "PATCH", f"/api/contracts/{contract.pk}/", "title=%E6%96%B0%00",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert envelope_of(response, 400)["fields"] == {"title": ["不能包含空字符（\\0）。"]}
    contract.refresh_from_db()
    assert (contract.customer_id, contract.title) == before


def test_text_that_only_looks_like_a_nul_escape_is_kept(api, world):
    api.force_authenticate(world.account_manager)
    new_site = {"customer": world.customer_a.pk, "name": r"端局 \u0000", "code": "EO-97",
                "kind": "end_office", "address": "南京市", "latitude": 32,
                "longitude": 118.8}  # fmt: skip
    response = api.post("/api/sites/", new_site, format="json")
    assert response.status_code == 201, response.content
    assert Site.objects.get(code="EO-97").name == r"端局 \u0000"

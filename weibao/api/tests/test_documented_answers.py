"""Answers the OpenAPI schema used to leave out: 415 for a body in a format an action does not
read, and the calendar's reminder among the notification kinds."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_a_body_in_an_unread_format_is_415_and_documented(api, world, schema):
    api.force_authenticate(world.admin)
    response = api.post("/api/sites/", data="名称", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "415" in schema["paths"]["/api/sites/"]["post"]["responses"]
    assert "415" not in schema["paths"]["/api/sites/"]["get"]["responses"]


def test_the_calendar_reminder_is_a_documented_notification_kind(api, world, schema):
    from weibao.notifications.services import notify

    world.admin.email = "admin@example.cn"
    world.admin.save()
    notify(recipients=[world.admin], subject="【工作日历】请导入 2027 年国务院放假安排",
           body="2027 年的放假安排尚未导入。", kind="calendar_schedule_missing",
           dedupe_key="calendar:schedule_missing:2027")  # fmt: skip
    api.force_authenticate(world.admin)
    kinds = {row["kind"] for row in api.get("/api/notifications/").json()["results"]}
    assert "calendar_schedule_missing" in kinds
    enum = schema["components"]["schemas"]["Notification"]["properties"]["kind"]
    name = (enum.get("$ref") or enum["allOf"][0]["$ref"]).split("/")[-1]
    assert "calendar_schedule_missing" in schema["components"]["schemas"][name]["enum"]

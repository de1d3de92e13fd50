"""The alarm intake in the OpenAPI schema. Its two addresses are plain Django views (and the
lean intake process answers them the same way), so drf-spectacular does not see them;
`add_alarm_intake`, a postprocessing hook, describes them for the people who point a
monitoring platform at Weibao: the bodies each format reads, the source's credentials, and
the answers — 2xx only once the alarms are committed, 503 (retry) when they are not.

The request schemas say what the readers in `weibao.alarms.formats` take; fields they do not
read are allowed (senders add their own), so each schema is open (`additionalProperties`)."""

from __future__ import annotations

from weibao.alarms.urls import KINDS

TAG = "alarms"
TOKEN_SCHEME = "alarmSourceToken"
SIGNATURE_SCHEME = "alarmSignature"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


LABELS = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Label names to values (a number or true/false is read as its text).",
    "example": {"alertname": "MainsFailure", "site": "EO-01", "severity": "major"},
}
TIME = {
    "type": "string",
    "description": "RFC 3339 (nanoseconds allowed); Go's zero time `0001-01-01T00:00:00Z` "
    "is no time.",
    "example": "2026-03-02T00:55:00Z",
}


def _group(description: str, **properties) -> dict:
    """A webhook's group of alerts (Alertmanager's, Grafana's), with its own `properties`."""
    return {
        "type": "object",
        "description": description,
        "properties": {
            "status": {"type": "string", "enum": ["firing", "resolved"]},
            **properties,
            "alerts": {"type": "array", "items": _ref("WebhookAlert")},
        },
        "required": ["alerts"],
        "additionalProperties": True,
    }


SCHEMAS = {
    "PostableAlert": {
        "type": "object",
        "description": "An alert as Prometheus, Grafana and vmalert post it to an Alertmanager. "
        "A missing `startsAt` is now; a missing `endsAt` is now plus the source's resolve "
        "timeout (the alarm resolves by itself unless sent again); an `endsAt` at or before "
        "now resolves it.",
        "properties": {
            "labels": LABELS,
            "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
            "startsAt": TIME,
            "endsAt": TIME,
            "generatorURL": {"type": "string"},
        },
        "required": ["labels"],
        "additionalProperties": True,
    },
    "WebhookAlert": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["firing", "resolved"]},
            "labels": LABELS,
            "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
            "startsAt": TIME,
            "endsAt": TIME,
            "generatorURL": {"type": "string"},
            "fingerprint": {"type": "string"},
        },
        "required": ["labels"],
        "additionalProperties": True,
    },
    "AlertmanagerWebhook": _group(
        "Alertmanager's webhook, version 4: one POST carries a whole group, firing and "
        "resolved together, and is sent again every group interval and by each member of an "
        "HA pair; every alert is an upsert by its label fingerprint. An alert missing from the "
        "group is not resolved (`truncatedAlerts` > 0: some were left out).",
        version={"type": "string", "enum": ["4"]},
        receiver={"type": "string"},
        groupKey={"type": "string"},
        truncatedAlerts={"type": "integer", "minimum": 0},
        groupLabels=LABELS,
        commonLabels=LABELS,
        commonAnnotations={"type": "object", "additionalProperties": {"type": "string"}},
        externalURL={"type": "string"},
    ),
    "GrafanaWebhook": _group(
        "Grafana's webhook contact point (unified alerting): a group like Alertmanager's, any "
        "`version`; an alert's `valueString` is its description when it has none. Keyed by "
        "the label fingerprint as Alertmanager computes it, not by Grafana's `fingerprint`: "
        "one rule's alert through Grafana or an Alertmanager is one alarm.",
        version={"type": "string"},
        orgId={"type": "integer"},
        title={"type": "string"},
        message={"type": "string"},
    ),
    "ZabbixEvent": {
        "type": "object",
        "description": "The Zabbix webhook media type's parameters: `event_id` ({EVENT.ID}) is "
        "the alarm's key, `event_value` 1 a problem and 0 its recovery, `event_nseverity` "
        "0–5, `event_tags` the tags (a JSON array of {tag, value}, or its text).",
        "properties": {
            "event_id": {"type": "string"},
            "event_value": {"type": "string", "enum": ["0", "1"]},
            "event_nseverity": {"type": "string", "example": "4"},
            "event_name": {"type": "string"},
            "host_name": {"type": "string"},
            "host_ip": {"type": "string"},
            "event_date": {"type": "string", "example": "2026.03.02"},
            "event_time": {"type": "string", "example": "09:01:12"},
            "event_tags": {"type": "string"},
        },
        "required": ["event_id", "event_value"],
        "additionalProperties": True,
    },
    "GenericAlarms": {
        "type": "object",
        "description": "Any JSON document (an object or an array): the source's field mapping, "
        "set in the admin, names where its alarms are (`items`) and, as dotted paths in "
        "each, the key, time, level (1–4 or 一级–四级), site, device, name and recovery flag.",
        "additionalProperties": True,
    },
    "AlarmsAccepted": {
        "type": "object",
        "description": "The alarms of the delivery are committed.",
        "properties": {
            "status": {"type": "string", "enum": ["success"]},
            "alarms": {"type": "integer", "description": "alarms in the delivery"},
            "raised": {"type": "integer", "description": "alarms that began to fire"},
            "resolved": {"type": "integer", "description": "alarms that ended"},
            "repeated": {"type": "integer", "description": "repeats of firing alarms"},
        },
        "required": ["status", "alarms", "raised", "resolved", "repeated"],
    },
}

B_INTERFACE = {
    "type": "string",
    "description": "China Tower / operator B interface: an XML `SEND_ALARM` request (bare or "
    "in a SOAP envelope) with `TAlarm` items — SerialNo, Id, FsuId, DeviceId, AlarmTime, "
    "AlarmLevel 1–4 (or 一级–四级), AlarmFlag BEGIN/END, AlarmDesc. (FsuId, SerialNo) is the "
    "alarm: an FSU's re-sending is idempotent, END closes its BEGIN. No DOCTYPE.",
}

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "string"}, "description": "seconds"}}


def _answers(ok: dict) -> dict:
    return {
        "200": ok,
        "400": {"description": "`invalid` (or the reader's code): the body is malformed; the "
                "refused part is named in `fields`. Nothing was stored.", "content": ERROR},
        "401": {"description": "`not_authenticated`: neither the source's token nor a "
                "signature was shown.", "content": ERROR},
        "403": {"description": "`permission_denied`: a wrong token or signature; "
                "`source_disabled`: the source takes no deliveries.", "content": ERROR},
        "503": {"description": "`unavailable`: the alarms are not stored (the database "
                "refused); send the delivery again.", "content": ERROR,
                "headers": RETRY_AFTER},
    }  # fmt: skip


ACCEPTED = {
    "description": "Committed: every alarm of the delivery is stored before this answer.",
    "content": {"application/json": {"schema": _ref("AlarmsAccepted")}},
}
SECURITY = [{TOKEN_SCHEME: []}, {SIGNATURE_SCHEME: []}]


# Each format at its own address, its body described exactly (the address names the format).
FORMATS = {
    "alertmanager": ("Alertmanager webhook", "application/json", _ref("AlertmanagerWebhook")),
    "grafana": ("Grafana webhook", "application/json", _ref("GrafanaWebhook")),
    "zabbix": ("Zabbix webhook media type", "application/json", _ref("ZabbixEvent")),
    "generic": ("Generic JSON (the source's mapping)", "application/json", _ref("GenericAlarms")),
    "b-interface": ("B interface SEND_ALARM", "text/xml", B_INTERFACE),
}


def _per_source(kind: str) -> dict:
    title, media, schema = FORMATS[kind]
    ok = ACCEPTED
    if media == "text/xml":
        ok = {"description": ACCEPTED["description"] + " Answered `SEND_ALARM_ACK`.",
              "content": {"text/xml": {"schema": {"type": "string"}}}}  # fmt: skip
    responses = _answers(ok)
    responses["404"] = {"description": f"`not_found`: no {title} source has this "
                        "identifier.", "content": ERROR}  # fmt: skip
    return {
        "post": {
            "operationId": f"alarms_{kind.replace('-', '_')}_receive",
            "summary": f"Deliver alarms: {title}",
            "description": "A delivery to one configured source of this format, "
            "authenticated by the source's token or by an HMAC-SHA256 of the body with its "
            "secret. A trailing slash is optional.",
            "tags": [TAG],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": r"^[-\w]+$"},
                    "description": "the source's identifier (标识)",
                }
            ],
            "security": SECURITY,
            "requestBody": {"required": True, "content": {media: {"schema": schema}}},
            "responses": responses,
        }
    }


def _operations() -> dict:
    paths = {
        "/api/v2/alerts": {
            "post": {
                "operationId": "alarms_api_v2_alerts",
                "summary": "Post alerts as to an Alertmanager (Prometheus, Grafana, vmalert)",
                "description": "Alertmanager's `POST /api/v2/alerts`: point a Prometheus, "
                "Grafana or vmalert at Weibao as at an Alertmanager. The source is the one "
                "whose token is shown (Bearer, the password of HTTP Basic, or `?token=`).",
                "tags": [TAG],
                "security": [{TOKEN_SCHEME: []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": _ref("PostableAlert")}
                        }
                    },
                },
                "responses": _answers(ACCEPTED),
            }
        },
    }
    for kind in KINDS.split("|"):
        paths[f"/api/alarms/{kind}/{{slug}}/"] = _per_source(kind)
    return paths


def add_alarm_intake(result, generator, request, public):
    """drf-spectacular postprocessing hook: the alarm intake's addresses, their bodies, the
    sources' credentials and answers (the `Error` body comes from `add_error_responses`)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(SCHEMAS)
    components.setdefault("securitySchemes", {}).update({
        TOKEN_SCHEME: {"type": "http", "scheme": "bearer",
                       "description": "The alarm source's token (令牌), set in the admin."},
        SIGNATURE_SCHEME: {"type": "apiKey", "in": "header", "name": "X-Weibao-Signature",
                           "description": "Hex HMAC-SHA256 of the body with the source's "
                           "HMAC secret (optionally prefixed `sha256=`)."},
    })  # fmt: skip
    result.setdefault("paths", {}).update(_operations())
    tags = result.setdefault("tags", [])
    if not any(tag.get("name") == TAG for tag in tags):
        tags.append({"name": TAG, "description": "Alarm intake from monitoring platforms"})
    return result

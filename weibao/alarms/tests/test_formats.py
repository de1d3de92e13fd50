"""The parsers alone: the variations senders produce that the HTTP tests do not cover."""

import datetime as dt
from types import SimpleNamespace
from xml.sax.saxutils import escape

import pytest

from weibao.alarms.formats import Malformed, b_interface, generic, zabbix
from weibao.alarms.formats.common import asset_ref_of, level_of, parse_time, severity_of
from weibao.alarms.tests.conftest import fixture_bytes

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
SHANGHAI_9 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def source(**mapping):
    return SimpleNamespace(mapping=mapping, resolve_timeout=dt.timedelta(minutes=5))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02T01:00:00Z", SHANGHAI_9),
        ("2026-03-02T09:00:00+08:00", SHANGHAI_9),
        ("2026-03-02T01:00:00.000000001Z", SHANGHAI_9),
        ("2026-03-02 09:00:00", SHANGHAI_9),  # a naive local time is Weibao's time zone
        ("2026.03.02 09:00:00", SHANGHAI_9),
        (1772413200, SHANGHAI_9),
        ("1772413200000", SHANGHAI_9),
        ("0001-01-01T00:00:00Z", None),
        ("", None),
    ],
)
def test_times_senders_write(value, expected):
    assert parse_time(value, "t") == expected


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("1", "L1"),
        (2, "L2"),
        ("L3", "L3"),
        ("四级", "L4"),
        ("二级", "L2"),
        ("5", ""),
        ("", ""),
        (True, ""),
    ],
)
def test_levels(value, level):
    assert level_of(value) == level


def test_severity_words_and_instance_host():
    assert [severity_of(w) for w in ("Critical", "紧急", "High", "average", "foo")] == [
        "critical",
        "critical",
        "major",
        "minor",
        "warning",
    ]
    assert asset_ref_of({"instance": "10.0.0.7:9100"}) == "10.0.0.7"
    assert asset_ref_of({"instance": "[::1]:9100"}) == "[::1]:9100"


def test_zabbix_tags_as_plain_text():
    body = (
        b'{"event_id": "9", "event_value": "1", "event_nseverity": 5,'
        b' "event_tags": "site:EO-01, scope:availability"}'
    )
    (item,) = zabbix.parse(body, source=source(), now=NOW)
    assert item.labels == {"site": "EO-01", "scope": "availability"}
    assert (item.site_code, item.severity, item.level) == ("EO-01", "critical", "L1")


def test_b_interface_inside_a_soap_envelope():
    inner = fixture_bytes("b_send_alarm_begin.xml").decode().split("?>", 1)[1]
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soapenv:Body><invoke><xmlData>{escape(inner)}</xmlData></invoke></soapenv:Body>"
        "</soapenv:Envelope>"
    ).encode()
    items = b_interface.parse(envelope, source=source(), now=NOW)
    assert [i.key for i in items] == ["b:32010100000001/0000012345", "b:32010100000001/0000012346"]


def test_b_interface_refuses_other_messages():
    with pytest.raises(Malformed):
        b_interface.parse(
            b"<Request><PK_Type><Name>LOGIN</Name></PK_Type></Request>", source=source(), now=NOW
        )


def test_generic_single_object_and_recovery_time():
    mapping = {"key": "id", "time": "at", "recovery": "cleared"}
    (item,) = generic.parse(
        b'{"id": 7, "at": "2026-03-02 08:50:00", "cleared": true}',
        source=source(**mapping),
        now=NOW,
    )
    assert (item.key, item.resolved, item.ends_at, item.starts_at) == (
        "generic:7",
        True,
        dt.datetime(2026, 3, 2, 0, 50, tzinfo=dt.UTC),
        None,
    )

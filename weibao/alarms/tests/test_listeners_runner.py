"""The listener runner of `weibao serve` and `weibao alarms listen`: one listener per enabled
SNMP/MQTT source, following the sources as they are added, edited and disabled."""

from __future__ import annotations

import socket

import pytest

from weibao.alarms.listeners.runner import ListenerRunner, validate_mapping
from weibao.core.embedded import companions
from weibao.core.errors import DomainError
from weibao.testing.factories import AlarmSourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snmp(**kwargs):
    return AlarmSourceFactory(kind="snmp", mapping={"listen": f"127.0.0.1:{free_port()}"}, **kwargs)


def test_the_runner_follows_the_sources_as_they_change():
    webhook = AlarmSourceFactory(kind="alertmanager")
    source = snmp()
    runner = ListenerRunner(check_every=3600)
    runner.start()
    try:
        assert set(runner.listeners) == {source.pk}  # a webhook source needs no listener
        _version, first = runner.listeners[source.pk]
        assert first.ready.wait(10) and first.failed is None and first.port

        source.mapping = {"listen": f"127.0.0.1:{free_port()}"}
        source.save()
        runner.refresh()
        _version, second = runner.listeners[source.pk]
        assert second is not first and not first.is_alive()
        assert second.ready.wait(10) and second.port == int(source.mapping["listen"].split(":")[1])

        source.enabled = False
        source.save()
        later = snmp()
        runner.refresh()
        assert set(runner.listeners) == {later.pk} and not second.is_alive()
        assert webhook.pk not in runner.listeners
    finally:
        runner.stop()


def test_serve_starts_the_alarm_listeners_in_process():
    assert any("alarm listeners" in name for name in companions())
    assert isinstance(companions()["alarm listeners (SNMP, MQTT)"](), ListenerRunner)


@pytest.mark.parametrize(
    ("kind", "mapping", "message"),
    [
        ("snmp", {"listen": "nowhere"}, "listen"),
        ("snmp", {"listen": ":1162", "traps": {"1.3.6.x": {}}}, "OID"),
        ("snmp", {"listen": ":1162", "traps": {"1.3.6.1": {"action": "clear"}}}, "clears"),
        (
            "snmp",
            {"listen": ":1162", "users": [{"name": "u", "auth": "sha", "auth_key": "x"}]},
            "auth_key",
        ),
        ("mqtt", {"topics": ["a/b"]}, "key"),
        ("mqtt", {"key": "id"}, "topics"),
    ],
)
def test_a_wrong_listener_mapping_is_refused_on_the_mapping_field(kind, mapping, message):
    source = AlarmSourceFactory.build(kind=kind, mapping=mapping, token="community-1")
    with pytest.raises(DomainError) as refused:
        validate_mapping(source)
    assert refused.value.field == "mapping" and message in refused.value.message


def test_the_admin_refuses_a_wrong_trap_table_on_the_mapping_field(admin_client):
    from weibao.alarms.models import AlarmSource
    from weibao.testing.factories import CustomerFactory

    form = {
        "name": "动环 SNMP",
        "slug": "dh-snmp",
        "kind": "snmp",
        "customer": CustomerFactory().pk,
        "enabled": "on",
        "token": "community-abc",
        "hmac_secret": "",
        "mapping": '{"listen": ":1162", "traps": {"1.3.6.1.4.1.8888.0.2": {"action": "clear"}}}',
        "resolve_timeout": "00:05:00",
    }
    refused = admin_client.post("/admin/alarms/alarmsource/add/", form)
    assert refused.status_code == 200 and "clears" in refused.content.decode()
    assert not AlarmSource.objects.exists()

    form["mapping"] = (
        '{"listen": "0.0.0.0:1162", "traps": {"1.3.6.1.4.1.8888.0.2": '
        '{"action": "clear", "clears": "1.3.6.1.4.1.8888.0.1"}}}'
    )
    assert admin_client.post("/admin/alarms/alarmsource/add/", form).status_code == 302
    assert AlarmSource.objects.get().kind == "snmp"

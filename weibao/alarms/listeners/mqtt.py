"""The MQTT subscriber of one MQTT source (paho-mqtt 2): QoS 1 in a persistent session
(clean_session off, a stable client id), so the broker keeps what is published while Weibao is
down and delivers it on the next connection; every message is read with the generic JSON
mapping (`weibao.alarms.formats.generic`) and stored through `accept()`.

PUBACK is sent only after the commit (`manual_ack`). When a commit fails the message is left
unacknowledged and the connection is dropped and re-opened after a pause: the broker re-sends
every unacknowledged QoS 1 message of a resumed session (MQTT 3.1.1 §4.4), so nothing it
delivered is lost. A message that is not valid for the mapping is acknowledged (a re-delivery
would not mend it) and counted as rejected on the source.

The source's mapping holds, next to the generic fields (`key`, `time`, `level`, …):

    {"broker": "127.0.0.1:1883", "topics": ["dh/+/alarm"], "client_id": "weibao-dh",
     "username": "weibao", "password": "…", "tls": false}
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.formats.generic import parse
from weibao.alarms.listeners.base import Listener
from weibao.alarms.services.reading import stored_text
from weibao.alarms.services.receive import note_rejected
from weibao.core import clock
from weibao.core.errors import DomainError

log = logging.getLogger("weibao.alarms.listeners")

RECONNECT_PAUSE = 1.0


@dataclass(frozen=True)
class MqttConfig:
    """The validated connection settings of one MQTT source."""

    host: str
    port: int
    topics: tuple[str, ...]
    client_id: str
    username: str = ""
    password: str = ""
    tls: bool = False

    @classmethod
    def from_source(cls, source) -> MqttConfig:
        return parse_config(source.mapping or {}, default_client_id=f"weibao-alarms-{source.pk}")


def _refuse(message: str) -> DomainError:
    return DomainError(message, code="invalid_mapping", field="mapping")


def parse_config(mapping: Mapping[str, Any], *, default_client_id: str) -> MqttConfig:
    """The checked connection settings; a wrong entry raises DomainError on `mapping`."""
    if not isinstance(mapping, Mapping):
        raise _refuse(_("字段映射应为 JSON 对象"))
    host, _sep, port = str(mapping.get("broker") or "127.0.0.1:1883").rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise _refuse(_("broker 应为“地址:端口”，如 127.0.0.1:1883"))
    topics = mapping.get("topics") or mapping.get("topic")
    if isinstance(topics, str):
        topics = [topics]
    if (
        not topics
        or not isinstance(topics, list)
        or not all(isinstance(t, str) and t.strip() for t in topics)
    ):
        raise _refuse(_('topics 应为订阅主题的列表，如 ["dh/+/alarm"]'))
    if not mapping.get("key"):
        raise _refuse(_("来源的字段映射未设置 key，无法识别告警。"))
    client_id = str(mapping.get("client_id") or default_client_id)
    if len(client_id) > 64:
        raise _refuse(_("client_id 至多 64 个字符"))
    return MqttConfig(
        host=host,
        port=int(port),
        topics=tuple(t.strip() for t in topics),
        client_id=client_id,
        username=str(mapping.get("username") or ""),
        password=str(mapping.get("password") or ""),
        tls=bool(mapping.get("tls")),
    )


class MqttListener(Listener):
    """Subscribes to the topics of one MQTT source until stopped."""

    def listen(self) -> None:
        self.config = cfg = MqttConfig.from_source(self.source)
        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=cfg.client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        if cfg.username:
            client.username_pw_set(cfg.username, cfg.password or None)
        if cfg.tls:
            client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        client.on_connect = self._connected
        client.on_subscribe = self._subscribed
        client.on_message = self._message
        self.client = client
        self.broken = threading.Event()  # a commit failed: re-open the session
        while not self.stopped.is_set():
            self.broken.clear()
            try:
                client.connect(cfg.host, cfg.port, keepalive=30)
            except OSError as exc:
                log.warning(
                    "MQTT source %s: cannot reach %s:%s (%s)",
                    self.source.pk,
                    cfg.host,
                    cfg.port,
                    exc,
                )
                self.stopped.wait(RECONNECT_PAUSE * 5)
                continue
            while not self.stopped.is_set() and not self.broken.is_set():
                if client.loop(timeout=0.2) != mqtt.MQTT_ERR_SUCCESS:
                    break
            client.disconnect()
            if not self.stopped.is_set():
                self.stopped.wait(RECONNECT_PAUSE)

    def _connected(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            log.error(
                "MQTT source %s: broker refused the connection: %s", self.source.pk, reason_code
            )
            return
        client.subscribe([(topic, 1) for topic in self.config.topics])

    def _subscribed(self, _client, _userdata, _mid, reason_codes, _properties) -> None:
        if any(code.is_failure for code in reason_codes):
            log.error("MQTT source %s: subscription refused: %s", self.source.pk, reason_codes)
        self.ready.set()

    def _message(self, client, _userdata, message) -> None:
        if self.broken.is_set():
            return  # the session is being re-opened; the broker sends it again
        text, _charset = stored_text(message.payload)
        try:
            items = parse(message.payload, source=self.source, now=clock.now())
        except Malformed as error:
            note_rejected(self.source, f"{message.topic}: {error.message}")
            client.ack(message.mid, message.qos)
            return
        stored = self.deliver(
            items,
            body=text,
            content_type=f"application/json; mqtt-topic={message.topic}",
            remote=f"mqtt:{self.config.host}:{self.config.port}",
        )
        if stored:
            client.ack(message.mid, message.qos)
        else:
            self.broken.set()

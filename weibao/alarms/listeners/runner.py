"""Runs the listener of every enabled SNMP and MQTT source, in `weibao serve` (next to the
embedded worker) or on its own (`weibao alarms listen`). Every `check_every` seconds it reads the
sources again: a source added, enabled, edited or disabled in the admin gets its listener
started, restarted or stopped, and a listener that died is started again."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections

from weibao.alarms.choices import SourceKind
from weibao.alarms.listeners.base import Listener
from weibao.alarms.models import AlarmSource

log = logging.getLogger("weibao.alarms.listeners")

LISTENED = (SourceKind.SNMP, SourceKind.MQTT)


def listener_class(kind: str) -> type[Listener]:
    if kind == SourceKind.SNMP:
        from weibao.alarms.listeners.snmp import SnmpListener

        return SnmpListener
    from weibao.alarms.listeners.mqtt import MqttListener

    return MqttListener


def validate_mapping(source: AlarmSource) -> None:
    """Check the listener settings in an SNMP or MQTT source's mapping; raises DomainError
    on `mapping` (the admin shows it on the field). Other kinds: nothing to check here."""
    if source.kind == SourceKind.SNMP:
        from weibao.alarms.listeners.snmp_mapping import SnmpConfig

        SnmpConfig.from_source(source)
    elif source.kind == SourceKind.MQTT:
        from weibao.alarms.listeners.mqtt import MqttConfig

        MqttConfig.from_source(source)


def listened_sources():
    """The enabled sources that need a listener."""
    return AlarmSource.objects.filter(enabled=True, kind__in=LISTENED).order_by("pk")


def any_listened() -> bool:
    return listened_sources().exists()


class ListenerRunner:
    """Keeps one listener running per enabled SNMP/MQTT source."""

    def __init__(self, *, check_every: float = 10.0):
        self.check_every = check_every
        self.listeners: dict[int, tuple[object, Listener]] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="weibao-alarm-listeners", daemon=True)

    def start(self) -> None:
        self.refresh()
        self.thread.start()

    def refresh(self) -> None:
        """Start, restart or stop listeners to match the sources as stored now."""
        close_old_connections()
        wanted = {source.pk: source for source in listened_sources()}
        for pk in list(self.listeners):
            version, listener = self.listeners[pk]
            source = wanted.get(pk)
            if source is None or _version(source) != version or not listener.is_alive():
                listener.stop()
                listener.join(10)
                del self.listeners[pk]
        for pk, source in wanted.items():
            if pk not in self.listeners:
                listener = listener_class(source.kind)(source)
                listener.start()
                self.listeners[pk] = (_version(source), listener)
                log.info("alarm listener started: %s (%s)", source.name, source.kind)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.check_every):
                try:
                    self.refresh()
                except Exception:
                    log.exception("alarm listeners: could not read the sources")
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        for _stamp, listener in self.listeners.values():
            listener.stop()
        for _stamp, listener in self.listeners.values():
            listener.join(10)
        self.listeners.clear()


def _version(source: AlarmSource) -> tuple:
    """What a listener was started from; when it changes the listener restarts."""
    return (source.kind, source.token, repr(source.mapping), source.customer_id, source.updated_at)

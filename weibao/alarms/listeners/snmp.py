"""The SNMP trap and INFORM receiver of one SNMP source (pysnmp 7, asyncio): SNMPv2c with the
source's token as community, SNMPv3 with the USM users of its mapping, and the trap-OID table
of `snmp_mapping`.

An INFORM is acknowledged only after its alarm is committed. pysnmp's own
`NotificationReceiver.process_pdu` sends the Response-PDU *before* it calls the application
(RFC 3413 §3.4 order), so `DurableReceiver` overrides that one method: it builds the same
response, calls the application with a `respond` callable, and the application calls it once
`accept()` returned. When the commit fails nothing is answered, and the sender's own retry
(every INFORM sender retries until answered) delivers it again. Traps are unconfirmed by
definition: a trap lost while the database is down is lost at the sender's choice of trap
over INFORM (it is logged and counted on the source).

The database work runs in one worker thread per listener, never in the event loop (Django's
ORM is synchronous), so the receiver keeps reading datagrams while a commit is under way."""

from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from pyasn1.type.univ import OctetString
from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import ntfrcv
from pysnmp.proto import rfc3411
from pysnmp.proto.api import v2c
from pysnmp.proto.proxy import rfc2576

from weibao.alarms.listeners.base import Listener
from weibao.alarms.listeners.snmp_mapping import SnmpConfig, UsmUser, normalise

log = logging.getLogger("weibao.alarms.listeners")

AUTH = {
    "none": config.USM_AUTH_NONE,
    "md5": config.USM_AUTH_HMAC96_MD5,
    "sha": config.USM_AUTH_HMAC96_SHA,
    "sha224": config.USM_AUTH_HMAC128_SHA224,
    "sha256": config.USM_AUTH_HMAC192_SHA256,
    "sha384": config.USM_AUTH_HMAC256_SHA384,
    "sha512": config.USM_AUTH_HMAC384_SHA512,
}
PRIV = {
    "none": config.USM_PRIV_NONE,
    "des": config.USM_PRIV_CBC56_DES,
    "3des": config.USM_PRIV_CBC168_3DES,
    "aes": config.USM_PRIV_CFB128_AES,
    "aes192": config.USM_PRIV_CFB192_AES,
    "aes256": config.USM_PRIV_CFB256_AES,
}


class DurableReceiver(ntfrcv.NotificationReceiver):
    """A notification receiver that answers an INFORM only when the application says so:
    `cbFun(engine, stateReference, contextEngineId, contextName, varBinds, respond)`, where
    `respond` is None for a trap and otherwise sends the Response-PDU when called."""

    def process_pdu(
        self,
        snmpEngine,
        messageProcessingModel,
        securityModel,
        securityName,
        securityLevel,
        contextEngineId,
        contextName,
        pduVersion,
        PDU,
        maxSizeResponseScopedPDU,
        stateReference,
    ):
        original = None
        if messageProcessingModel == 0:
            original = PDU
            community = getattr(self, "_NotificationReceiver__snmpTrapCommunity", "")
            PDU = rfc2576.v1_to_v2(PDU, snmpTrapCommunity=community)
        var_binds = v2c.apiPDU.get_varbinds(PDU)
        respond = None
        if PDU.tagSet in rfc3411.CONFIRMED_CLASS_PDUS:
            response = v2c.apiPDU.get_response(PDU)
            v2c.apiPDU.set_error_status(response, "noError")
            v2c.apiPDU.set_error_index(response, 0)
            v2c.apiPDU.set_varbinds(response, var_binds)
            if original is not None:
                response = rfc2576.v2_to_v1(response, original)

            def respond():
                snmpEngine.message_dispatcher.return_response_pdu(
                    snmpEngine,
                    messageProcessingModel,
                    securityModel,
                    securityName,
                    securityLevel,
                    contextEngineId,
                    contextName,
                    pduVersion,
                    response,
                    maxSizeResponseScopedPDU,
                    stateReference,
                    {},
                )

        self._NotificationReceiver__cbFun(
            snmpEngine, stateReference, contextEngineId, contextName, var_binds, respond
        )


def text_of(value) -> str:
    """A varbind value as text: strings as UTF-8 (GBK as a fallback), the rest printed."""
    if isinstance(value, OctetString):
        raw = bytes(value)
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if text.isprintable():
                return text
        return "0x" + raw.hex()
    return value.prettyPrint()


def _engine_id(config_engine_id: str, source_pk: int) -> OctetString:
    if config_engine_id:
        return OctetString(hexValue=config_engine_id)
    # RFC 3411 text format (0x04) under the "enterprise 0" prefix, stable per source.
    return OctetString(hexValue="8000000004" + f"weibao-{source_pk}".encode().hex())


def add_user(snmp_engine, user: UsmUser, engine_id: OctetString | None = None) -> None:
    config.add_v3_user(
        snmp_engine,
        user.name,
        AUTH[user.auth],
        user.auth_key or None,
        PRIV[user.priv],
        user.priv_key or None,
        securityEngineId=engine_id,
    )


class SnmpListener(Listener):
    """Receives the traps and INFORMs of one SNMP source until stopped."""

    def listen(self) -> None:
        cfg = SnmpConfig.from_source(self.source)
        self.config = cfg
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self.loop = loop
        self.db = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{self.name}-db")
        snmp_engine = engine.SnmpEngine(snmpEngineID=_engine_id(cfg.engine_id, self.source.pk))
        transport = udp.UdpAsyncioTransport().open_server_mode((cfg.host, cfg.port))
        config.add_transport(snmp_engine, udp.DOMAIN_NAME, transport)
        if cfg.community:
            config.add_v1_system(snmp_engine, f"weibao-{self.source.pk}", cfg.community)
        for user in cfg.users:
            add_user(snmp_engine, user)  # INFORMs: this receiver is the authoritative engine
            if user.engine_id:  # traps: the sender is
                add_user(snmp_engine, user, OctetString(hexValue=user.engine_id))
        DurableReceiver(snmp_engine, self._received)
        try:
            loop.run_until_complete(transport._lport)  # bound: a busy port fails here
            self.port = transport.transport.get_extra_info("sockname")[1]
            self.ready.set()
            loop.run_until_complete(self._until_stopped())
        finally:
            snmp_engine.transport_dispatcher.close_dispatcher()
            loop.run_until_complete(asyncio.sleep(0))  # let the cancelled timer task end
            self.db.submit(connections.close_all).result()
            self.db.shutdown()
            loop.close()

    async def _until_stopped(self) -> None:
        while not self.stopped.is_set():
            await asyncio.sleep(0.2)

    def _received(self, snmp_engine, state_reference, _engine_id, _context, var_binds, respond):
        _domain, address = snmp_engine.message_dispatcher.get_transport_info(state_reference)
        sender = str(address[0])
        varbinds = {str(oid): text_of(value) for oid, value in var_binds}
        items = normalise(self.config, varbinds, sender=sender)
        if not items:
            if respond is not None:
                respond()  # nothing to keep: the notification is handled
            return
        body = {
            "sender": f"{address[0]}:{address[1]}",
            "inform": respond is not None,
            "varbinds": varbinds,
        }
        job = self.db.submit(
            self.deliver,
            items,
            body=json.dumps(body, ensure_ascii=False),
            content_type="application/vnd.weibao.snmp+json",
            remote=f"{address[0]}:{address[1]}",
        )
        if respond is not None:
            job.add_done_callback(lambda done: self._answer(done, respond))

    def _answer(self, done, respond) -> None:
        if done.exception() is None and done.result():
            self.loop.call_soon_threadsafe(respond)
        # not committed: no answer, so the INFORM sender retries

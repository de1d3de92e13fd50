"""The SNMP source's configuration, kept as data in the source's `mapping` JSON, and the one
function that turns a received notification into `Normalised` alarms.

    {
      "listen": "0.0.0.0:1162",            # UDP address the trap receiver binds
      "engine_id": "8000000004...",         # optional, hex; the receiver's own (INFORMs)
      "users": [                            # SNMPv3 USM users configured on the senders
        {"name": "ops", "auth": "sha", "auth_key": "…", "priv": "aes", "priv_key": "…",
         "engine_id": "80001f88…"}          # the sender's engine id, needed for v3 traps
      ],
      "traps": {                            # the trap-OID table
        "1.3.6.1.4.1.8888.0.1": {"name": "市电停电", "severity": "critical", "level": "L2",
                                 "action": "raise", "key": ["1.3.6.1.4.1.8888.1.1"]},
        "1.3.6.1.4.1.8888.0.2": {"action": "clear", "clears": "1.3.6.1.4.1.8888.0.1",
                                 "key": ["1.3.6.1.4.1.8888.1.1"]},
        "1.3.6.1.4.1.8888.0.3": {"name": "门禁", "action": "state",
                                 "state_varbind": "1.3.6.1.4.1.8888.1.9",
                                 "clear_values": ["0", "cleared"]}
      },
      "site_varbind": "…", "asset_varbind": "…", "description_varbind": "…",
      "unmapped": "store"                   # or "ignore": traps missing from the table
    }

SNMPv2c senders authenticate with the community, which is the source's token. An alarm's key
is its raising trap OID and the values of its key varbinds (the sender's address when the
trap names no key varbind), so the clearing trap finds the alarm its raising trap opened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from weibao.alarms.choices import Severity
from weibao.alarms.normalised import Normalised
from weibao.core.errors import DomainError

SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
AUTH_PROTOCOLS = ("none", "md5", "sha", "sha224", "sha256", "sha384", "sha512")
PRIV_PROTOCOLS = ("none", "des", "3des", "aes", "aes192", "aes256")
ACTIONS = ("raise", "clear", "state")
LEVELS = ("", "L1", "L2", "L3", "L4")


@dataclass(frozen=True)
class UsmUser:
    """One SNMPv3 user as configured on the senders."""

    name: str
    auth: str = "none"
    auth_key: str = ""
    priv: str = "none"
    priv_key: str = ""
    engine_id: str = ""  # the sender's (traps); empty: INFORMs only


@dataclass(frozen=True)
class TrapRule:
    """One row of the trap-OID table."""

    oid: str
    name: str = ""
    severity: str = Severity.WARNING
    level: str = ""
    action: str = "raise"
    clears: str = ""
    key: tuple[str, ...] = ()
    state_varbind: str = ""
    clear_values: tuple[str, ...] = ()
    site_varbind: str = ""
    asset_varbind: str = ""
    description_varbind: str = ""


@dataclass(frozen=True)
class SnmpConfig:
    """The validated configuration of one SNMP source."""

    host: str
    port: int
    community: str
    engine_id: str = ""
    users: tuple[UsmUser, ...] = ()
    traps: dict[str, TrapRule] = field(default_factory=dict)
    store_unmapped: bool = True

    @classmethod
    def from_source(cls, source) -> SnmpConfig:
        """Read and check `source.mapping`; a wrong entry raises DomainError on `mapping`."""
        return parse_config(source.mapping or {}, community=source.token)


def _refuse(message: str) -> DomainError:
    return DomainError(message, code="invalid_mapping", field="mapping")


def _oid(value: Any, where: str) -> str:
    text = str(value or "").strip().lstrip(".")
    parts = text.split(".")
    if not text or not all(part.isdigit() for part in parts) or len(parts) < 2:
        raise _refuse(_("%(where)s 不是有效的 OID：%(value)s") % {"where": where, "value": value})
    return text


def _hex(value: Any, where: str) -> str:
    text = str(value or "").strip().lower().removeprefix("0x")
    if text and (len(text) % 2 or len(text) < 10 or len(text) > 64):
        raise _refuse(_("%(where)s 应为 5 到 32 字节的十六进制") % {"where": where})
    try:
        bytes.fromhex(text)
    except ValueError as exc:
        raise _refuse(_("%(where)s 应为 5 到 32 字节的十六进制") % {"where": where}) from exc
    return text


def _address(value: Any) -> tuple[str, int]:
    host, _sep, port = str(value or "").rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise _refuse(_("listen 应为“地址:端口”，如 0.0.0.0:1162"))
    return host or "0.0.0.0", int(port)


def _user(entry: Any, index: int) -> UsmUser:
    where = f"users[{index}]"
    if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
        raise _refuse(_("%(where)s 需要 name") % {"where": where})
    auth = str(entry.get("auth") or "none").lower()
    priv = str(entry.get("priv") or "none").lower()
    if auth not in AUTH_PROTOCOLS:
        raise _refuse(
            _("%(where)s 的 auth 应为 %(choices)s 之一")
            % {"where": where, "choices": ", ".join(AUTH_PROTOCOLS)}
        )
    if priv not in PRIV_PROTOCOLS:
        raise _refuse(
            _("%(where)s 的 priv 应为 %(choices)s 之一")
            % {"where": where, "choices": ", ".join(PRIV_PROTOCOLS)}
        )
    if priv != "none" and auth == "none":
        raise _refuse(_("%(where)s 加密（priv）需要同时认证（auth）") % {"where": where})
    for kind, key in (("auth", "auth_key"), ("priv", "priv_key")):
        if (auth if kind == "auth" else priv) != "none" and len(str(entry.get(key) or "")) < 8:
            raise _refuse(_("%(where)s 的 %(key)s 至少 8 个字符") % {"where": where, "key": key})
    return UsmUser(
        name=str(entry["name"]).strip(),
        auth=auth,
        auth_key=str(entry.get("auth_key") or ""),
        priv=priv,
        priv_key=str(entry.get("priv_key") or ""),
        engine_id=_hex(entry.get("engine_id"), f"{where}.engine_id"),
    )


def _oids(value: Any, where: str) -> tuple[str, ...]:
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        raise _refuse(_("%(where)s 应为 OID 列表") % {"where": where})
    return tuple(_oid(item, where) for item in value)


def _rule(oid: str, entry: Any, defaults: Mapping[str, Any]) -> TrapRule:
    where = f"traps[{oid}]"
    if not isinstance(entry, Mapping):
        raise _refuse(_("%(where)s 应为对象") % {"where": where})
    action = str(entry.get("action") or "raise")
    if action not in ACTIONS:
        raise _refuse(_("%(where)s 的 action 应为 raise、clear 或 state") % {"where": where})
    severity = str(entry.get("severity") or Severity.WARNING)
    if severity not in Severity.values:
        raise _refuse(
            _("%(where)s 的 severity 应为 %(choices)s 之一")
            % {"where": where, "choices": ", ".join(Severity.values)}
        )
    level = str(entry.get("level") or "")
    if level not in LEVELS:
        raise _refuse(_("%(where)s 的 level 应为 L1 到 L4") % {"where": where})
    if action == "clear" and not entry.get("clears"):
        raise _refuse(_("%(where)s 清除告警需要 clears（被清除的告警 OID）") % {"where": where})
    clears = _oid(entry["clears"], f"{where}.clears") if action == "clear" else ""
    state_varbind = ""
    if action == "state":
        state_varbind = _oid(entry.get("state_varbind"), f"{where}.state_varbind")
        if not entry.get("clear_values"):
            raise _refuse(_("%(where)s 需要 clear_values") % {"where": where})
    return TrapRule(
        oid=oid,
        name=str(entry.get("name") or ""),
        severity=severity,
        level=level,
        action=action,
        clears=clears,
        key=_oids(entry.get("key"), f"{where}.key"),
        state_varbind=state_varbind,
        clear_values=tuple(str(v) for v in entry.get("clear_values") or ()),
        **{
            name: _oid(entry.get(name) or defaults[name], f"{where}.{name}")
            if entry.get(name) or defaults[name]
            else ""
            for name in ("site_varbind", "asset_varbind", "description_varbind")
        },
    )


def parse_config(mapping: Mapping[str, Any], *, community: str = "") -> SnmpConfig:
    """The checked configuration of an SNMP source (see the module docstring)."""
    if not isinstance(mapping, Mapping):
        raise _refuse(_("字段映射应为 JSON 对象"))
    host, port = _address(mapping.get("listen"))
    users = mapping.get("users") or []
    if not isinstance(users, list):
        raise _refuse(_("users 应为列表"))
    parsed_users = tuple(_user(entry, i) for i, entry in enumerate(users))
    if not community and not parsed_users:
        raise _refuse(_("SNMP 来源需要令牌（v2c 团体名）或至少一个 v3 用户"))
    traps = mapping.get("traps") or {}
    if not isinstance(traps, Mapping):
        raise _refuse(_("traps 应为以 trap OID 为键的对象"))
    defaults = {
        name: mapping.get(name) or ""
        for name in ("site_varbind", "asset_varbind", "description_varbind")
    }
    rules = {}
    for oid, entry in traps.items():
        key = _oid(oid, "traps")
        rules[key] = _rule(key, entry, defaults)
    unmapped = str(mapping.get("unmapped") or "store")
    if unmapped not in ("store", "ignore"):
        raise _refuse(_("unmapped 应为 store 或 ignore"))
    return SnmpConfig(
        host=host,
        port=port,
        community=community,
        engine_id=_hex(mapping.get("engine_id"), "engine_id"),
        users=parsed_users,
        traps=rules,
        store_unmapped=unmapped == "store",
    )


def _find(varbinds: Mapping[str, str], oid: str) -> str:
    """The value of `oid`, or of its first instance (`oid.0`, `oid.3.1`, …)."""
    if not oid:
        return ""
    if oid in varbinds:
        return varbinds[oid]
    prefix = oid + "."
    return next((value for name, value in varbinds.items() if name.startswith(prefix)), "")


def normalise(config: SnmpConfig, varbinds: Mapping[str, str], *, sender: str) -> list[Normalised]:
    """The alarm a notification carries (`varbinds` as OID → text, in their order), or none
    when its trap OID is missing from the table and unmapped traps are ignored."""
    trap_oid = varbinds.get(SNMP_TRAP_OID, "").lstrip(".")
    rule = config.traps.get(trap_oid)
    if rule is None:
        if not config.store_unmapped:
            return []
        rule = TrapRule(oid=trap_oid, name=trap_oid)
    raising = rule.clears or trap_oid
    raising_rule = config.traps.get(raising, rule)
    values = [_find(varbinds, oid) for oid in rule.key or raising_rule.key]
    key = "|".join([raising, *(values if values else [sender])])
    if rule.action == "clear":
        resolved = True
    elif rule.action == "state":
        resolved = _find(varbinds, rule.state_varbind) in rule.clear_values
    else:
        resolved = False
    labels = {
        oid: value[:200]
        for oid, value in varbinds.items()
        if oid not in (SYS_UPTIME, SNMP_TRAP_OID)
    }
    labels.update({"trap_oid": trap_oid, "sender": sender})
    return [
        Normalised(
            key=key,
            labels=labels,
            name=raising_rule.name or rule.name or raising,
            severity=raising_rule.severity,
            level=raising_rule.level,
            site_code=_find(varbinds, rule.site_varbind or raising_rule.site_varbind),
            asset_ref=_find(varbinds, rule.asset_varbind or raising_rule.asset_varbind),
            description=_find(
                varbinds, rule.description_varbind or raising_rule.description_varbind
            ),
            resolved=resolved,
        )
    ]

"""The China Tower / operator B interface (FSU → monitoring centre): a `SEND_ALARM` request
whose `TAlarm` items carry `SerialNo`, `Id`/`ID` (the signal), `FsuId`, `DeviceId`,
`AlarmTime`, `AlarmLevel` (1–4, 1 the most severe; "一级"…"四级" tolerated), `AlarmFlag`
(BEGIN raises, END clears) and `AlarmDesc`. FSUs re-send until acknowledged, so (FsuId,
SerialNo) is the key and END closes the BEGIN of the same serial number. The answer,
`SEND_ALARM_ACK`, is written only after the alarms are committed.

    <Request><PK_Type><Name>SEND_ALARM</Name><Code>501</Code></PK_Type>
      <Info><Values><TAlarmList><TAlarm>…</TAlarm></TAlarmList></Values></Info></Request>

A SOAP envelope whose body holds that document as escaped text is read the same way."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

from weibao.alarms.choices import Severity
from weibao.alarms.formats import Malformed
from weibao.alarms.formats.common import SEVERITY_OF_LEVEL, level_of, parse_time
from weibao.alarms.normalised import Normalised

SEND_ALARM = "SEND_ALARM"
SEND_ALARM_CODE = "501"
SEND_ALARM_ACK_CODE = "502"

_DECLARATION = re.compile(rb"\s*(<\?xml[^>]*?encoding=[\"']([\w.:-]+)[\"'][^>]*\?>)")
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "us-ascii", "ascii", "iso-8859-1", "latin-1"}
_WIDER = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _decoded(body: bytes) -> bytes | str:
    """Expat reads no multi-byte encoding but UTF-8/16: a GBK document (FSUs often send one)
    is decoded here and parsed as text without its declaration."""
    declared = _DECLARATION.match(body)
    if not declared:
        return body
    encoding = declared.group(2).decode("ascii").lower()
    if encoding in _EXPAT_ENCODINGS:
        return body
    try:
        text = body.decode(_WIDER.get(encoding, encoding))
    except (LookupError, UnicodeDecodeError) as error:
        raise Malformed(_("XML 声明的编码 %(enc)s 无法读取。") % {"enc": encoding[:20]}) from error
    return text[declared.end(1) :]


def _read_xml(body: bytes) -> ET.Element:
    # Entity declarations are refused outright: no entity expansion can blow up.
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise Malformed(_("不接受带 DOCTYPE 的 XML。"))
    try:
        return ET.fromstring(_decoded(body))
    except (ET.ParseError, ValueError) as error:
        raise Malformed(_("请求体不是有效的 XML：%(error)s") % {"error": error}) from error


def _request(root: ET.Element) -> ET.Element:
    """The `Request` document, itself or as escaped text inside a SOAP envelope."""
    if _local(root.tag) != "Envelope":
        return root
    for element in root.iter():
        text = (element.text or "").strip()
        if text.startswith("<"):
            return _read_xml(text.encode("utf-8"))
    raise Malformed(_("SOAP 报文中没有 B 接口请求。"))


def _child(element: ET.Element, *names: str) -> str:
    wanted = {name.lower() for name in names}
    for child in element:
        if _local(child.tag).lower() in wanted:
            return (child.text or "").strip()
    return ""


def parse(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    request = _request(_read_xml(body))
    kind = next((e for e in request.iter() if _local(e.tag) == "PK_Type"), None)
    name = _child(kind, "Name") if kind is not None else ""
    if name and name != SEND_ALARM:
        raise Malformed(_("不支持的报文类型：%(name)s（应为 SEND_ALARM）") % {"name": name[:40]})
    items = []
    for index, alarm in enumerate(e for e in request.iter() if _local(e.tag) == "TAlarm"):
        where = f"TAlarm.{index}"
        fsu, serial = _child(alarm, "FsuId"), _child(alarm, "SerialNo")
        if not fsu or not serial:
            raise Malformed(_("TAlarm 缺少 FsuId 或 SerialNo。"), field=f"{where}.SerialNo")
        flag = _child(alarm, "AlarmFlag").upper()
        if flag not in ("BEGIN", "END"):
            raise Malformed(_("AlarmFlag 应为 BEGIN 或 END。"), field=f"{where}.AlarmFlag")
        raw_level = _child(alarm, "AlarmLevel")
        level = level_of(raw_level)
        if raw_level and not level:
            raise Malformed(_("AlarmLevel 应为 1–4 或 一级–四级。"), field=f"{where}.AlarmLevel")
        at = parse_time(_child(alarm, "AlarmTime"), f"{where}.AlarmTime")
        signal, device = _child(alarm, "Id", "ID"), _child(alarm, "DeviceId")
        description = _child(alarm, "AlarmDesc")
        labels = {"fsu_id": fsu, "serial_no": serial, "signal_id": signal, "device_id": device}
        resolved = flag == "END"
        items.append(
            Normalised(
                key=f"b:{fsu}/{serial}",
                labels={k: v for k, v in labels.items() if v},
                name=description or signal,
                severity=SEVERITY_OF_LEVEL.get(level, Severity.WARNING),
                level=level,
                site_code=(source.mapping or {}).get("fsu_sites", {}).get(fsu, ""),
                asset_ref=device or fsu,
                description=description,
                starts_at=None if resolved else at,
                ends_at=(at or now) if resolved else None,
                resolved=resolved,
                raw_index=index,
            )
        )
    if not items:
        raise Malformed(_("SEND_ALARM 中没有 TAlarm。"))
    return items


def ack(*, ok: bool = True, cause: str = "") -> bytes:
    """The `SEND_ALARM_ACK` answered once the alarms are committed (Result 1 = success)."""
    response = ET.Element("Response")
    kind = ET.SubElement(response, "PK_Type")
    ET.SubElement(kind, "Name").text = "SEND_ALARM_ACK"
    ET.SubElement(kind, "Code").text = SEND_ALARM_ACK_CODE
    info = ET.SubElement(response, "Info")
    ET.SubElement(info, "Result").text = "1" if ok else "0"
    ET.SubElement(info, "FailureCause").text = cause
    return ET.tostring(response, encoding="utf-8", xml_declaration=True)

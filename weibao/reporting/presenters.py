"""Turns a report's stored figures into presentation blocks — facts, tables, charts and text —
that the browser page, the PDF, the Word and the Excel exports all render the same way.

Pure functions over the JSON of `AnalysisReport.figures`: nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from weibao.reporting.sections import SECTIONS, Section

NUMERALS = "一二三四五六七八九十"
NO_DATA = gettext_noop("暂无数据")


@dataclass(frozen=True)
class Facts:
    rows: tuple[tuple[str, str], ...]
    type: str = "facts"


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    note: str = ""
    type: str = "table"


@dataclass(frozen=True)
class Chart:
    """A chart drawn by `reporting.charts`: bar (vertical), barh (horizontal, long labels) or
    stacked (several series)."""

    key: str
    title: str
    kind: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = ""
    type: str = "chart"


@dataclass(frozen=True)
class Text:
    lines: tuple[str, ...]
    muted: bool = False
    type: str = "text"


@dataclass(frozen=True)
class Presented:
    key: str
    number: str
    title: str
    blocks: list = field(default_factory=list)

    @property
    def heading(self) -> str:
        return _("%(number)s、%(title)s") % {"number": self.number, "title": self.title}


def _no_data(text: str = "") -> list:
    return [Text((text or _(NO_DATA),), muted=True)]


def _value(v, suffix: str = "") -> str:
    return "—" if v is None else f"{v}{suffix}"


def _local(iso: str | None) -> str:
    if not iso:
        return "—"
    return timezone.localtime(parse_datetime(iso)).strftime("%Y-%m-%d %H:%M")


def _count_table(title: str, head: str, rows: list[dict]) -> Table:
    return Table(title, (head, _("数量")), tuple((_label(r), r["count"]) for r in rows))


def _label(row: dict) -> str:
    """A stored row label in the reader's language: the figures keep the Chinese label of a
    code (a level, a request type, "未归类"), which reads as its translation; names of sites
    and assets are not in the catalogue and read as stored."""
    return _(str(row["label"])) if row["label"] else ""


def _count_chart(key: str, title: str, rows: list[dict], *, kind: str = "bar") -> Chart:
    return Chart(
        key, title, kind, tuple(_label(r) for r in rows),
        ((_("数量"), tuple(float(r["count"]) for r in rows)),),
    )  # fmt: skip


def present_overview(d: dict) -> list:
    return [Facts((
        (_("工单总数"), str(d["tickets"])), (_("其中故障"), str(d["faults"])),
        (_("一级故障"), str(d["level_1"])), (_("已解决"), str(d["resolved"])),
        (_("未解决"), str(d["unresolved"])), (_("已关闭"), str(d["closed"])),
        (_("不在合同覆盖范围"), str(d["not_covered"])),
    ))]  # fmt: skip


def present_faults(d: dict) -> list:
    other = d["other_sites"]
    sites = d["by_site"] + (
        [{"label": _("其他 %(n)d 个机房") % {"n": other["sites"]}, "count": other["count"]}]
        if other["sites"] else []
    )  # fmt: skip
    return [
        _count_chart("faults_by_level", _("按故障级别"), d["by_level"]),
        _count_table(_("按故障级别"), _("级别"), d["by_level"]),
        _count_table(_("按请求类型（全部工单）"), _("类型"), d["by_type"]),
        _count_chart("faults_by_site", _("按机房（前 15 个）"), d["by_site"], kind="barh"),
        _count_table(_("按机房"), _("机房"), sites),
        _count_chart("faults_by_category", _("按设备类别"), d["by_category"], kind="barh"),
        _count_table(_("按设备类别"), _("设备类别"), d["by_category"]),
        Table(_("故障最多的设备（前 10 台）"), (_("设备"), _("机房"), _("数量")),
              tuple((_label(r), r["site"], r["count"]) for r in d["by_asset"])),
        _count_chart("faults_by_cause", _("按故障原因"), d["by_cause"], kind="barh"),
        Table(_("按故障原因"), (_("原因类别"), _("数量")),
              tuple((_label(r), r["count"]) for r in d["by_cause"]),
              note=_("原因取受理时勾选的故障分级标准（FLT-2）类别；未勾选的计为“未归类”。")),
    ]  # fmt: skip


def present_sla(d: dict) -> list:
    kinds = d["kinds"]
    if not kinds:
        return _no_data(_("本期没有服务时钟。"))
    blocks = [
        Chart("sla_by_kind", _("服务时限达成"), "stacked", tuple(_label(k) for k in kinds), (
            (_("按时达成"), tuple(float(k["met"]) for k in kinds)),
            (_("超时"), tuple(float(k["breached"]) for k in kinds)),
            (_("计时中"), tuple(float(k["running"]) for k in kinds)),
        )),
        Table(_("各类时钟达成情况"),
              (_("时钟"), _("总数"), _("按时达成"), _("超时"), _("计时中"), _("达成率")),
              tuple((_label(k), k["total"], k["met"], k["breached"], k["running"],
                     _value(k["attainment"], "%")) for k in kinds),
              note=_("达成率 = 按时达成 ÷（按时达成 + 超时）；计时中的不计入。")),
    ]  # fmt: skip
    note = ""
    if d["breach_total"] > len(d["breaches"]):
        note = _("共 %(n)d 条，仅列出前 %(m)d 条。") % {
            "n": d["breach_total"], "m": len(d["breaches"]),
        }  # fmt: skip
    blocks.append(Table(
        _("超时明细"),
        (_("工单"), _("级别"), _("机房"), _("时钟"), _("截止"), _("达成"), _("超时（分钟）")),
        tuple((b["ticket"], b["level"], b["site"], _(str(b["kind"])), _local(b["due_at"]),
               _local(b["met_at"]), _value(b["late_minutes"])) for b in d["breaches"]),
        note=note,
    ))  # fmt: skip
    return blocks


def present_mttr(d: dict) -> list:
    rows = d["by_level"]
    return [
        Facts(((_("已解决故障"), str(d["count"])),
               (_("平均修复时间"), _value(d["mean_hours"], " " + _("小时"))),
               (_("最长修复时间"), _value(d["longest_hours"], " " + _("小时"))))),
        Chart("mttr_by_level", _("各级故障平均修复时间（小时）"), "bar",
              tuple(_label(r) for r in rows),
              ((_("小时"), tuple(float(r["mean_hours"] or 0) for r in rows)),), unit=_("小时")),
        Table(_("按故障级别"), (_("级别"), _("已解决"), _("平均（小时）"), _("最长（小时）")),
              tuple((_label(r), r["count"], _value(r["mean_hours"]), _value(r["longest_hours"]))
                    for r in rows),
              note=_("修复时间 = 解决时间 − 报告时间，统计本期报告且已解决的故障。")),
    ]  # fmt: skip


def present_recurring(d: dict) -> list:
    n = d["threshold"]
    note = _("本期故障次数达到 %(n)d 次及以上。") % {"n": n}
    return [
        Table(_("重复故障设备（%(total)d 台）") % {"total": d["asset_total"]},
              (_("设备"), _("机房"), _("故障次数")),
              tuple((_label(r), r["site"], r["count"]) for r in d["assets"]), note=note),
        Table(_("重复故障机房（%(total)d 个）") % {"total": d["site_total"]},
              (_("机房"), _("故障次数")), tuple((_label(r), r["count"]) for r in d["sites"]),
              note=note),
    ]  # fmt: skip


def present_hardware(d: dict) -> list:
    blocks: list = []
    repairs, loans = d.get("repairs"), d.get("loans")
    if repairs is None:
        blocks += [Text((_("硬件维修：") + NO_DATA,), muted=True)]
    else:
        blocks.append(Table(_("硬件维修（本期登记）"), (_("项目"), _("数量")), (
            (_("返修登记"), repairs["total"]), (_("按期返回"), repairs["returned_on_time"]),
            (_("超期返回"), repairs["returned_late"]), (_("超期未返回"), repairs["open_overdue"]),
            (_("国外维修"), repairs["foreign"]), (_("超期免费借用"), repairs["loaners"]),
            (_("不在服务范围·收费"), repairs["billable"]),
        )))  # fmt: skip
    if loans is None:
        blocks += [Text((_("备件借用：") + NO_DATA,), muted=True)]
    else:
        blocks.append(Table(_("备件借用（本期开始）"), (_("项目"), _("数量")), (
            (_("借用总数"), loans["total"]), *((_label(r), r["count"]) for r in loans["by_kind"]),
            (_("借用中"), loans["out"]), (_("已归还"), loans["returned"]),
            (_("已转销售"), loans["converted"]), (_("超出配额·收费"), loans["billable"]),
        )))  # fmt: skip
    quota = d.get("quota") or []
    blocks.append(Table(
        _("服务权益使用"), (_("权益"), _("计数周期"), _("已用"), _("额度"), _("超额计费")),
        tuple((q["entitlement"], q["window"], q["used"], _value(q["quota"] and int(q["quota"])),
               q["billable"]) for q in quota),
    ) if quota else Text((_("服务权益使用：本期无计次记录。"),), muted=True))  # fmt: skip
    return blocks


def present_inspections(d: dict | None) -> list:
    if d is None:
        return _no_data()
    blocks = [
        Facts(((_("计划巡检"), str(d["planned"])), (_("已完成"), str(d["done"])),
               (_("完成率"), _value(d["rate"], "%")), (_("逾期未做"), str(d["overdue"])),
               (_("发现问题"), str(d["findings"])), (_("转为工单"), str(d["finding_tickets"])))),
        Table(_("按巡检类型"), (_("类型"), _("计划"), _("完成")),
              tuple((_label(r), r["planned"], r["done"]) for r in d["by_kind"])),
    ]  # fmt: skip
    if d["finding_rows"]:
        blocks.append(Table(
            _("巡检发现的问题"),
            (_("日期"), _("机房"), _("检查项"), _("设备"), _("说明"), _("工单")),
            tuple((r.get("date", ""), r.get("site", ""), r.get("item", ""), r.get("asset", ""),
                   r.get("note", ""), r.get("ticket", "")) for r in d["finding_rows"]),
        ))  # fmt: skip
    return blocks


def present_feedback(d: dict) -> list:
    s = d["satisfaction"]
    blocks: list = [
        Facts(((_("回访次数"), str(s["callbacks"])), (_("客户满意"), str(s["satisfied"])),
               (_("满意率"), _value(s["satisfied_rate"], "%")),
               (_("平均满意度评分"), _value(s["mean_score"], " / 5")))),
        _count_chart("satisfaction_scores", _("满意度评分分布"), s["by_score"]),
    ]  # fmt: skip
    c = d.get("complaints")
    if c is None:
        blocks.append(Text((_("客户投诉：") + NO_DATA,), muted=True))
    else:
        blocks.append(Table(_("客户投诉"), (_("项目"), _("数量")), (
            (_("本期投诉"), c["total"]), (_("首次响应超时"), c["response_breached"]),
            *((_label(r), r["count"]) for r in c["by_state"]),
        )))  # fmt: skip
        if c["rows"]:
            blocks.append(Table(_("投诉明细"), (_("编号"), _("受理时间"), _("内容"), _("状态")),
                                tuple((r["number"], _local(r["received_at"]), r["text"], r["state"])
                                      for r in c["rows"])))  # fmt: skip
    return blocks


def present_alarms(d: dict | None) -> list:
    if d is None:
        return _no_data(_("告警统计将在接入动环/视频监控平台的告警后自动加入本报告。"))
    t = d["tickets"]
    blocks: list = [
        Facts(((_("告警来源"), str(d["sources"])), (_("本期告警"), str(d["alarms"])),
               (_("告警事件"), str(d["incidents"])), (_("其中振荡"), str(d["flapping_incidents"])),
               (_("维护窗口内或被抑制"), str(d["suppressed_incidents"])),
               (_("告警开出的工单"), str(t["tickets"])),
               (_("平均确认时间（MTTA）"), _value(t["mtta_hours"], " " + _("小时"))),
               (_("平均修复时间（MTTR）"), _value(t["mttr_hours"], " " + _("小时"))))),
        _count_chart("alarms_by_severity", _("按严重程度"), d["by_severity"]),
        _count_table(_("按严重程度"), _("严重程度"), d["by_severity"]),
        _count_table(_("按告警类型"), _("告警类型"), d["by_type"]),
        _count_chart("alarms_by_site", _("按机房"), d["by_site"], kind="barh"),
        _count_table(_("按机房"), _("机房"), d["by_site"]),
        Table(_("告警开出的工单"), (_("项目"), _("数量"), _("平均（小时）")), (
            (_("已确认（电话支持响应）"), t["acknowledged"], _value(t["mtta_hours"])),
            (_("已解决"), t["resolved"], _value(t["mttr_hours"])),
        ), note=_("确认时间 = 电话支持响应达成 − 报告时间；修复时间 = 解决时间 − 报告时间。")),
    ]  # fmt: skip
    if d["flapping"]:
        blocks.append(Table(
            _("告警反复最多的设备（前 10 台）"), (_("设备"), _("机房"), _("产生次数"), _("告警数")),
            tuple((_label(r), r["site"], r["count"], r["alarms"]) for r in d["flapping"]),
            note=_("本期同一设备的告警产生 2 次及以上。"),
        ))  # fmt: skip
    return blocks


PRESENTERS: dict[str, Callable] = {
    "overview": present_overview, "faults": present_faults, "sla": present_sla,
    "mttr": present_mttr, "recurring": present_recurring, "hardware": present_hardware,
    "inspections": present_inspections, "feedback": present_feedback, "alarms": present_alarms,
}  # fmt: skip
ALWAYS_PRESENT = {"inspections", "alarms"}  # presenters that handle None themselves


def _title(section: Section, data) -> str:
    if data is None and section.pending_title:
        return str(section.pending_title)
    return str(section.title)


def present(report) -> list[Presented]:
    """The report as numbered sections of blocks."""
    result = []
    for i, section in enumerate(SECTIONS):
        number = NUMERALS[i] if i < 10 else f"十{NUMERALS[i - 10]}"
        if not (get_language() or "zh").startswith("zh"):
            number = str(i + 1)
        if section.written_by_engineer:
            text = getattr(report, section.key, "").strip()
            blocks = [Text(tuple(text.splitlines()))] if text else _no_data(_("（待工程师填写）"))
            result.append(Presented(section.key, number, str(section.title), blocks))
            continue
        data = report.figures.get(section.key)
        if data is None and section.key not in ALWAYS_PRESENT:
            blocks = _no_data()
        else:
            blocks = PRESENTERS[section.key](data)
        result.append(Presented(section.key, number, _title(section, data), blocks))
    return result


def charts_of(sections: list[Presented]) -> list[Chart]:
    return [b for s in sections for b in s.blocks if isinstance(b, Chart)]

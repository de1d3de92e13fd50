"""Charts drawn on the server with matplotlib's Agg canvas (no pyplot, no display, no
network) in the CJK font the PDFs embed, as PNG bytes: the same image is shown inline in the
browser (a data: URI) and embedded in the PDF, Word and Excel files."""

from __future__ import annotations

import base64
import io
import threading

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from weibao.documents.pdf import CJK_FAMILY
from weibao.reporting.presenters import Chart

DPI = 110
WIDTH_IN = 6.4
COLOURS = ("#0b5cad", "#c62828", "#7b8794", "#b35900", "#1a7f37")
STACK_COLOURS = ("#1a7f37", "#c62828", "#7b8794")  # met, breached, running
_rc_lock = threading.Lock()
RC = {
    "font.family": [CJK_FAMILY, "DejaVu Sans"],
    "font.size": 9,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def has_data(chart: Chart) -> bool:
    return bool(chart.labels) and any(v for _name, values in chart.series for v in values)


def render_png(chart: Chart) -> bytes | None:
    """The chart as PNG bytes, or None when it has nothing to show."""
    if not has_data(chart):
        return None
    with _rc_lock, matplotlib.rc_context(RC):
        n = len(chart.labels)
        horizontal = chart.kind in ("barh", "stacked")
        height = max(2.2, 0.9 + 0.32 * n) if horizontal else 2.8
        figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        {"bar": _bar, "barh": _barh, "stacked": _stacked}[chart.kind](axes, chart)
        if not chart.unit:  # counts: whole-number ticks
            (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
        axes.set_title(chart.title, fontsize=10, loc="left")
        # Fixed margins instead of tight_layout (which draws the figure twice); horizontal
        # charts leave room for labels of up to 14 characters (longer ones are shortened).
        left = (
            0.05 + 0.016 * max(len(_short(label)) for label in chart.labels) if horizontal else 0.09
        )
        figure.subplots_adjust(left=min(left, 0.32), right=0.95, top=1 - 0.42 / height,
                               bottom=(0.5 / height) if horizontal else 0.14)  # fmt: skip
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()


def _annotate(axes, bars, values, *, horizontal: bool) -> None:
    for bar, value in zip(bars, values, strict=True):
        if horizontal:
            at = (bar.get_width(), bar.get_y() + bar.get_height() / 2)
            placement = {"xytext": (3, 0), "va": "center"}
        else:
            at = (bar.get_x() + bar.get_width() / 2, bar.get_height())
            placement = {"xytext": (0, 2), "ha": "center"}
        axes.annotate(f"{value:g}", at, textcoords="offset points", fontsize=8, **placement)


def _bar(axes, chart: Chart) -> None:
    values = chart.series[0][1]
    bars = axes.bar(chart.labels, values, color=COLOURS[0], width=0.6)
    _annotate(axes, bars, values, horizontal=False)
    axes.margins(y=0.15)
    if chart.unit:
        axes.set_ylabel(chart.unit)


def _barh(axes, chart: Chart) -> None:
    values = chart.series[0][1]
    positions = range(len(chart.labels))
    bars = axes.barh(positions, values, color=COLOURS[0], height=0.6)
    axes.set_yticks(list(positions), [_short(label) for label in chart.labels])
    axes.invert_yaxis()
    _annotate(axes, bars, values, horizontal=True)
    axes.margins(x=0.12)


def _stacked(axes, chart: Chart) -> None:
    positions = list(range(len(chart.labels)))
    left = [0.0] * len(positions)
    for (name, values), colour in zip(chart.series, STACK_COLOURS, strict=False):
        axes.barh(positions, values, left=left, color=colour, height=0.6, label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, [_short(label) for label in chart.labels])
    axes.invert_yaxis()
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False,
                ncols=len(chart.series))  # fmt: skip
    axes.margins(x=0.05)


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def render_all(charts: list[Chart]) -> dict[str, str]:
    """Chart key → base64 PNG, for every chart that has data."""
    images = {}
    for chart in charts:
        png = render_png(chart)
        if png is not None:
            images[chart.key] = base64.b64encode(png).decode("ascii")
    return images

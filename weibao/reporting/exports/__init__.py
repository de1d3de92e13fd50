"""The report's files: PDF (WeasyPrint via `documents.pdf.render_pdf`), Word (python-docx) and
Excel (openpyxl, one sheet per section). All three render the same presented sections and
embed the same chart images."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from weibao.reporting.presenters import Presented, present


@dataclass(frozen=True)
class Document:
    """What every export needs: the report, its numbered sections and its chart images."""

    report: object
    title: str
    subtitle: str
    sections: list[Presented]
    images: dict[str, str]  # chart key → base64 PNG


def document_of(report) -> Document:
    contract = report.contract
    period = report.period
    return Document(
        report=report,
        title=_("系统运行情况分析季度报告")
        if report.period_kind == "quarter"
        else _("系统运行情况分析月度报告"),
        subtitle=f"{contract.customer} · {contract.number} · "
        + _("%(name)s（%(detail)s）") % {"name": period.label, "detail": period.dates},
        sections=present(report),
        images=dict(report.charts or {}),
    )


def render(report, fmt: str) -> bytes:
    """The report as `fmt` ("pdf", "docx" or "xlsx") bytes."""
    from weibao.reporting.exports import docx, pdf, xlsx

    renderer = {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt]
    return renderer(document_of(report))

"""The report as an A4 PDF with the CJK font embedded and the charts inline."""

from __future__ import annotations

from weibao.documents.pdf import render_pdf


def render(document) -> bytes:
    return render_pdf("reporting/report_pdf.html", {"doc": document})

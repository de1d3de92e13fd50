"""PDF rendering for every printable document: HTML templates → WeasyPrint, with the CJK font
embedded (Noto Sans CJK SC from the system's fontconfig; `make run` installs fonts-noto-cjk).

    pdf_bytes = render_pdf("repairs/registration_pdf.html", {"repair": repair})

Templates extend `documents/pdf_base.html` (A4, header, page numbers) and fill
`{% block body %}`. Nothing is fetched from the network: WeasyPrint is given no base URL, so
images must be inline (data: URIs), as signatures and charts are.
"""

from __future__ import annotations

import functools
import subprocess

from django.template.loader import render_to_string

from weibao.core.errors import DomainError

CJK_FAMILY = "Noto Sans CJK SC"


@functools.cache
def cjk_font_available() -> bool:
    try:
        out = subprocess.run(
            ["fc-list", f":family={CJK_FAMILY}"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes with the CJK font embedded."""
    if not cjk_font_available():
        raise DomainError(
            "缺少中文字体 Noto Sans CJK SC，无法生成 PDF（安装 fonts-noto-cjk）。",
            code="cjk_font_missing",
        )
    from weasyprint import HTML

    html = render_to_string(template_name, {"cjk_family": CJK_FAMILY, **context})
    return HTML(string=html, base_url=None).write_pdf()

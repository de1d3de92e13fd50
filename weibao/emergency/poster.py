"""The printable A4 emergency poster of a site (§1.1.9.4: the simple flowchart and the key
contacts posted where everyone sees them)."""

from __future__ import annotations

from weibao.documents.pdf import render_pdf
from weibao.emergency.selectors import poster_context


def poster_pdf(site) -> bytes:
    """The poster as PDF bytes: the emergency flow, the L1 escalation ladder, the contacts and
    each event's first plan."""
    return render_pdf("emergency/poster_pdf.html", poster_context(site))


def poster_filename(site) -> str:
    return f"emergency-poster-{site.code}.pdf"

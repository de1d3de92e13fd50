"""A fault on third-party equipment (ESC-4): the vendor's warranty is linked to the ticket and
the desk gets a "联系第三方保修" task with the vendor's contact and terms."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.core.audit import record_event
from weibao.core.events import event_text
from weibao.escalations import services as escalations
from weibao.tickets.choices import TicketEvent


def coverage_for(ticket):
    """The customer's third-party coverage naming the ticket's asset; False for an asset of a
    third-party category that no coverage names (a task without a vendor); None otherwise."""
    from weibao.library.models import ThirdPartyCoverage

    asset = ticket.asset
    if asset is None:
        return None
    coverages = ThirdPartyCoverage.objects.filter(customer_id=ticket.customer_id)
    named = coverages.filter(assets=asset).order_by("pk").first()
    if named is not None:
        return named
    if asset.category is not None and asset.category.is_third_party:
        return False
    return None


def link_third_party_coverage(ticket, *, actor) -> bool:
    """Link the coverage and create the contact task when the fault is on third-party
    equipment; True when it did. A third-party category without any coverage on file still
    gets the task (the desk finds the vendor)."""
    coverage = coverage_for(ticket)
    if coverage is None:
        return False
    if coverage:
        ticket.third_party_coverage = coverage
        ticket.save(update_fields=["third_party_coverage"])
        period = coverage.current_period
        terms = coverage.covers
        if period is not None:
            terms += _("；保修合同 %(number)s，有效期至 %(expiry)s") % {
                "number": period.contract_number or "—",
                "expiry": period.expiry_date,
            }
        detail = _("%(vendor)s，联系人 %(name)s %(phone)s；%(terms)s") % {
            "vendor": coverage.vendor, "name": coverage.contact_name or "—",
            "phone": coverage.contact_phone or "—", "terms": terms}  # fmt: skip
    else:
        detail = _("第三方设备，尚无保修记录：请查明厂商并联系")
    escalations.add_third_party_task(ticket, detail=detail)
    message = event_text("第三方设备故障：联系第三方保修（%(detail)s）", detail=detail)
    record_event(ticket, kind=TicketEvent.THIRD_PARTY, actor=actor, message=message)
    return True

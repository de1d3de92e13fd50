"""The alarm console's screens (ALM-1..3): the live alarm list and the incident list (filters
by customer, site, severity/level and state; sorted, searched, paged, exported; the rows
refresh themselves with the same query string), an incident's page with its alarm timeline
and its ticket, the health of every source, and the alarms section of a site's or an asset's
archive. Who may read them is the matrix's `alarm.view`; a customer's user sees only their
own. Views parse the query, call the reads in `incidents.console`/`incidents.selectors` and
render; every screen has its API twin in `incidents.api.console`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.alarms.choices import AlarmState, Severity
from weibao.assets.models import Asset
from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused, can
from weibao.incidents import console, selectors
from weibao.incidents.choices import IncidentState
from weibao.incidents.columns import ALARM_COLUMNS, INCIDENT_COLUMNS
from weibao.incidents.services import manage
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.choices import Level
from weibao.tickets.models import Ticket

REFRESH_SECONDS = 15


def _require_view(user) -> None:
    if not console.can_view(user):
        raise PermissionDenied


def _filter_choices(request) -> dict:
    """The customers and sites the filters offer (a customer's user: their own sites)."""
    user = request.user
    customers = Customer.objects.visible_to(user).only("id", "name").order_by("name")
    sites = Site.objects.visible_to(user).only("id", "name").order_by("name")
    customer = console.clean_filters(request.GET, ("customer",))["customer"]
    if customer:
        sites = sites.filter(customer_id=customer)
    return {
        "customers": customers if not user.customer_id else [],
        "sites": sites[:500],
        "now": clock.now(),
        "refresh_seconds": REFRESH_SECONDS,
    }


def _page(request, template: str, fragment: str, context: dict):
    if request.htmx and request.htmx.target == "console-results":
        template = fragment
    return render(request, template, context)


@login_required
def alarm_list(request):
    """The live alarm list (firing first by default: `?state=firing`)."""
    _require_view(request.user)
    wanted = console.clean_filters(request.GET, console.ALARM_FILTERS)
    listing = Listing(
        request,
        console.alarms_for(request.user, **wanted),
        columns=ALARM_COLUMNS,
        default_sort="-last_seen",
        search_fields=("name", "description", "asset_ref", "site_ref", "asset__name"),
        export_name="alarms",
    )
    if listing.wants_export:
        return listing.export()
    incidents = console.incident_of_alarms(a.pk for a in listing.page)
    rows = [(alarm, incidents.get(alarm.pk)) for alarm in listing.page]
    context = _filter_choices(request) | {
        "listing": listing, "page": listing.page, "rows": rows, "filters": wanted,
        "q": listing.q, "severities": Severity.choices, "states": AlarmState.choices,
    }  # fmt: skip
    return _page(request, "incidents/alarm_list.html", "incidents/alarm_rows.html", context)


@login_required
def incident_list(request):
    """The incidents (open first by default: `?state=open`)."""
    _require_view(request.user)
    wanted = console.clean_filters(request.GET, ("customer", "site", "state", "level"))
    listing = Listing(
        request,
        selectors.incidents_for(request.user, **wanted),
        columns=INCIDENT_COLUMNS,
        default_sort="-opened",
        search_fields=("title", "rule", "ticket__number"),
        export_name="incidents",
    )
    if listing.wants_export:
        return listing.export()
    context = _filter_choices(request) | {
        "listing": listing, "page": listing.page, "filters": wanted, "q": listing.q,
        "states": IncidentState.choices, "levels": Level.choices,
    }  # fmt: skip
    return _page(request, "incidents/incident_list.html", "incidents/incident_rows.html", context)


def _incident_page(request, incident, *, errors=None, status=200):
    context = {
        "incident": incident,
        "alarms": selectors.alarms_of(incident),
        "story": selectors.incident_story(incident, reader=request.user),
        "now": clock.now(),
        "errors": errors or {},
        "ticket_number": request.POST.get("ticket", ""),
        "can_link": not request.user.customer_id
        and can(request.user, Capability.TICKET_OPEN, customer_id=incident.customer_id),
        "can_split": not request.user.customer_id
        and can(request.user, Capability.TICKET_CLASSIFY, customer_id=incident.customer_id),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


@login_required
def incident_detail(request, pk: int):
    """One incident: its facts, its ticket, its alarms (latest first) and its story."""
    _require_view(request.user)
    incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
    return _incident_page(request, incident)


def _act(request, pk: int, action, done: str):
    """Run one incident action; a refusal re-shows the page with its message (400)."""
    _require_view(request.user)
    incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
    try:
        action(incident)
    except PermissionRefused:
        raise
    except DomainError as error:
        return _incident_page(request, incident, status=400,
                              errors={error.field or "action": error.message})  # fmt: skip
    messages.success(request, done)
    return redirect("console:incident", pk=pk)


@login_required
@require_POST
def incident_link(request, pk: int):
    """Attach the incident to an existing open ticket, given by its number (API:
    `POST /api/incidents/{id}/link/`)."""
    number = request.POST.get("ticket", "").strip()

    def link(incident):
        ticket = Ticket.objects.visible_to(request.user).filter(number=number).first()
        if ticket is None:
            raise DomainError(_("没有这张工单。"), field="ticket")
        manage.link_incident(incident, ticket=ticket, actor=request.user)

    return _act(request, pk, link, _("已关联到工单 %(number)s。") % {"number": number})


@login_required
@require_POST
def incident_split(request, pk: int):
    """Split the incident off the ticket it shares into a ticket of its own (API:
    `POST /api/incidents/{id}/split/`)."""
    split = lambda incident: manage.split_incident(incident, actor=request.user)  # noqa: E731
    return _act(request, pk, split, _("已拆分为单独的工单。"))


@login_required
def source_health(request):
    """Every alarm source with its health (provider staff)."""
    _require_view(request.user)
    if request.user.customer_id:
        raise PermissionDenied
    rows = console.source_health(request.user)
    context = {"rows": rows, "now": clock.now(), "refresh_seconds": REFRESH_SECONDS}
    if request.htmx and request.htmx.target == "console-results":
        return render(request, "incidents/source_rows.html", context)
    return render(request, "incidents/sources.html", context)


@login_required
def site_alarms(request, pk: int):
    """The alarms section of a site's archive page (loaded into it)."""
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    context = console.recent_for(request.user, site=site) | {"site": site}
    return render(request, "incidents/_archive_alarms.html", context)


@login_required
def asset_alarms(request, pk: int):
    """The alarms section of an asset's archive page (loaded into it)."""
    asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=pk)
    context = console.recent_for(request.user, asset=asset) | {"asset": asset}
    return render(request, "incidents/_archive_alarms.html", context)

"""The alarm console's screens (ALM-1..3): the live alarm list and the incident list (filters
by customer, site, severity/level and state; sorted, searched, paged, exported; the rows
refresh themselves with the same query string), an incident's page with its alarm timeline
and its ticket, the health of every source, and the alarms section of a site's or an asset's
archive. Who may read them is the matrix's `alarm.view`; a customer's user sees only their
own. Views parse the query, call the reads in `incidents.console`/`incidents.selectors` and
render; every screen has its API twin in `incidents.api.console`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from weibao.alarms.choices import AlarmState, Severity
from weibao.assets.models import Asset
from weibao.core import clock
from weibao.core.listing import Listing
from weibao.incidents import console, selectors
from weibao.incidents.choices import IncidentState
from weibao.incidents.columns import ALARM_COLUMNS, INCIDENT_COLUMNS
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.choices import Level

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


@login_required
def incident_detail(request, pk: int):
    """One incident: its facts, its ticket, its alarms (latest first) and its story."""
    _require_view(request.user)
    incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
    context = {
        "incident": incident,
        "alarms": selectors.alarms_of(incident),
        "story": selectors.incident_story(incident, reader=request.user),
        "now": clock.now(),
    }
    return render(request, "incidents/incident_detail.html", context)


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

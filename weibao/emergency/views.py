"""Emergency screens: the register (表 17) with its ranked alternatives, an event's page, a
site's readiness checklist and drills, and the site's A4 poster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import concurrency, permissions
from weibao.core.errors import DomainError
from weibao.core.permissions import PermissionRefused
from weibao.emergency import selectors, services
from weibao.emergency.forms import DrillForm, ReadinessForm
from weibao.emergency.models import Drill, SiteReadiness
from weibao.emergency.poster import poster_filename, poster_pdf
from weibao.sites.models import Site, SiteKind
from weibao.tenancy.models import Customer


def _customer(request):
    """The customer whose register is shown: the user's own, or the one chosen by staff."""
    if request.user.customer_id:
        return request.user.customer
    chosen = request.GET.get("customer", "")
    if chosen.isdigit():
        return get_object_or_404(Customer.objects.visible_to(request.user), pk=int(chosen))
    return None


@login_required
def register(request):
    customer = _customer(request)
    sites = Site.objects.visible_to(request.user).select_related("customer")
    if customer is not None:
        sites = sites.filter(customer=customer)
    sites = sites.filter(
        kind__in=[SiteKind.MONITORING_CENTER, SiteKind.CORE, SiteKind.AGGREGATION]
    ).order_by("customer__name", "kind", "code")
    context = {
        "customer": customer,
        "customers": Customer.objects.visible_to(request.user).order_by("name"),
        "events": selectors.events_for(customer),
        "sites": sites[:100],
    }
    return render(request, "emergency/register.html", context)


@login_required
def event_detail(request, pk: int):
    event = selectors.visible_event(request.user, pk)
    if event is None:
        raise Http404
    customer = _customer(request) or event.customer
    people = [
        p for p in event.responsibilities.select_related("user")
        if p.customer_id is None or (customer is not None and p.customer_id == customer.pk)
    ]  # fmt: skip
    drills = Drill.objects.visible_to(request.user).filter(event=event).select_related("site")
    context = {
        "event": event,
        "customer": customer,
        "alternatives": event.alternatives.order_by("rank"),
        "people": people,
        "drills": drills[:50],
    }
    return render(request, "emergency/event_detail.html", context)


def _site(request, pk: int) -> Site:
    return get_object_or_404(
        Site.objects.visible_to(request.user).select_related("customer__provider"), pk=pk
    )


def render_site(
    request, site, *, readiness_form=None, drill_form=None, error="", status=200, stale=None
):
    """The site's readiness and drills; the forms carry what was typed into a refused one (and
    the readiness form the version it was rendered from, with the other person's values after a
    stale save)."""
    may_edit = permissions.can(
        request.user, Capability.EMERGENCY_PLAN_EDIT, customer_id=site.customer_id
    )
    record = SiteReadiness.objects.filter(site=site).first()
    events = selectors.events_for(site.customer)
    if may_edit:
        readiness_form = readiness_form or ReadinessForm(instance=record)
        drill_form = drill_form or DrillForm(events=events)
    context = {
        "site": site,
        "items": selectors.readiness(site),
        "record": record,
        "drills": selectors.drills_for(request.user, site=site)[:50],
        "may_edit": may_edit,
        "error": error,
        "readiness_form": readiness_form if may_edit else None,
        "drill_form": drill_form if may_edit else None,
        "leads": selectors.lead_people(site.customer, events),
        "wide": ("scenario", "participants", "outcome_note", "follow_ups"),
        "version": concurrency.form_version(request, record),
        **(stale or {}),
    }
    return render(request, "emergency/site.html", context, status=status)


@login_required
def site_page(request, pk: int):
    return render_site(request, _site(request, pk))


def _show(form, error: DomainError) -> None:
    """A refused service call on its field (or at the top); a missing capability escapes as
    `PermissionRefused` and answers 403."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
@require_POST
def readiness(request, pk: int):
    site = _site(request, pk)
    record = SiteReadiness.objects.filter(site=site).first()
    form = ReadinessForm(request.POST, instance=record)
    stale, status = None, 400
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            concurrency.save_if_current(
                record,
                concurrency.posted_version(request),
                lambda: services.update_readiness(site, actor=request.user, **values),
            )
        except PermissionRefused:
            raise
        except concurrency.StaleObject as error:
            stale, status = concurrency.stale_form_context(form, error), 409
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("已保存应急准备检查。"))
            return redirect("emergency:site", pk=site.pk)
    _require_editor(request, site)
    return render_site(request, site, readiness_form=form, status=status, stale=stale)


@login_required
@require_POST
def record_drill(request, pk: int):
    site = _site(request, pk)
    form = DrillForm(request.POST, events=selectors.events_for(site.customer))
    if form.is_valid():
        try:
            services.record_drill(
                customer=site.customer, site=site, actor=request.user, **form.cleaned_data
            )
        except PermissionRefused:
            raise
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("已记录应急演练。"))
            return redirect("emergency:site", pk=site.pk)
    _require_editor(request, site)
    return render_site(request, site, drill_form=form, status=400)


def _require_editor(request, site) -> None:
    """Before showing a refused form again: someone who may not edit gets 403 whatever they
    typed (the services check the same capability)."""
    permissions.require(request.user, Capability.EMERGENCY_PLAN_EDIT, customer_id=site.customer_id)


@login_required
@require_POST
def close_follow_ups(request, pk: int):
    drill = get_object_or_404(Drill.objects.visible_to(request.user), pk=pk)
    try:
        services.close_follow_ups(drill, actor=request.user, note=request.POST.get("note", ""))
    except PermissionRefused:
        raise
    except DomainError as error:
        if drill.site_id:
            return render_site(request, drill.site, error=error.message, status=409)
        messages.error(request, error.message)
    if drill.site_id:
        return redirect("emergency:site", pk=drill.site_id)
    return redirect("emergency:register")


@login_required
def poster(request, pk: int):
    """The site's A4 poster as a PDF download."""
    site = _site(request, pk)
    try:
        pdf = poster_pdf(site)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("emergency:site", pk=site.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{poster_filename(site)}"'
    return response

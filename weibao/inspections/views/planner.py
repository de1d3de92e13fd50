"""The planner's month calendar of inspections, moving and assigning visits, generating a
contract year's plan, and the customer's view of their plan."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.calendars.models import WEEKDAY_NAMES
from weibao.contracts.models import Contract
from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.inspections import columns, selectors, services
from weibao.inspections.choices import VisitKind, VisitState
from weibao.inspections.flow import INSPECTION_VISIT_FLOW as FLOW
from weibao.inspections.forms import AssignForm, CancelForm, GenerateForm, MoveForm
from weibao.inspections.views.common import (
    forbid_unless_allowed,
    form_error,
    may,
    visible_visit,
)
from weibao.inspections.views.onsite import render_visit
from weibao.tenancy.models import Customer


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return clock.today().replace(day=1)


def _calendar_url(day: dt.date, customer: str = "") -> str:
    url = f"{reverse('inspections:calendar')}?month={day:%Y-%m}"
    return f"{url}&customer={customer}" if customer else url


@login_required
def visit_list(request):
    """Every visit the user may see as a list: filtered by state, kind and customer,
    searched by site or customer, sorted by a header, paged with its total and exported to
    Excel as shown."""
    visits = selectors.visible_visits(request.user)
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    customer = request.GET.get("customer", "")
    if state in VisitState.values:
        visits = visits.filter(state=state)
    if kind in VisitKind.values:
        visits = visits.filter(kind=kind)
    if customer.isdigit():
        visits = visits.filter(customer_id=int(customer))
    listing = Listing(
        request,
        visits,
        columns=columns.visit_columns(request.user),
        default_sort="planned",
        search_fields=("site__name", "site__code", "customer__name"),
        export_name="inspections",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "q": listing.q,
        "state": state,
        "kind": kind,
        "customer": customer,
        "states": VisitState.choices,
        "kinds": VisitKind.choices,
        "customers": Customer.objects.visible_to(request.user).order_by("name"),
    }
    return render(request, "inspections/visit_list.html", context)


@login_required
def calendar(request, generate_form=None, status: int = 200):
    """The month view: every visit of the month on its day, filterable by customer and kind."""
    first = _month(request.GET.get("month", "") or request.POST.get("month", ""))
    visits = selectors.visible_visits(request.user).exclude(state=VisitState.CANCELLED)
    customer = request.GET.get("customer", "")
    if customer.isdigit():
        visits = visits.filter(customer_id=int(customer))
    kind = request.GET.get("kind", "")
    if kind in VisitKind.values:
        visits = visits.filter(kind=kind)
    grid = selectors.month_grid(visits, first)
    can_plan = may(request.user, Capability.INSPECTION_PLAN)
    for week in grid.weeks:
        for day in week:
            for visit in day.visits:
                visit.can_reschedule = can_plan and FLOW.can(visit, "reschedule", request.user)
    context = {
        "grid": grid,
        "customers": Customer.objects.visible_to(request.user).order_by("name"),
        "customer": customer,
        "kind": kind,
        "kinds": VisitKind.choices,
        "can_plan": can_plan,
        "generate_form": generate_form or (GenerateForm(user=request.user) if can_plan else None),
        "weekday_names": WEEKDAY_NAMES,
    }
    return render(request, "inspections/calendar.html", context, status=status)


@login_required
def move(request, pk: int):
    """GET: the move form (an htmx fragment or a page); POST: move the visit."""
    visit = visible_visit(request, pk)
    refusal = forbid_unless_allowed(visit, "reschedule", request.user)
    form = MoveForm(request.POST or None, initial={"new_date": visit.planned_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_visit(
                visit,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(site)s 的巡检已改期至 %(day)s。")
                % {"site": visit.site.name, "day": form.cleaned_data["new_date"]},
            )
            target = _calendar_url(form.cleaned_data["new_date"], request.GET.get("customer", ""))
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(request.POST.get("next") or target)
    template = "inspections/_move_form.html" if request.htmx else "inspections/move.html"
    return render(
        request,
        template,
        {"visit": visit, "form": form, "refusal": refusal},
    )


@login_required
@require_POST
def assign(request, pk: int):
    visit = visible_visit(request, pk)
    forbid_unless_allowed(visit, "assign", request.user)
    form = AssignForm(request.POST, engineers=selectors.engineers())
    if form.is_valid():
        try:
            services.assign_engineer(
                visit, engineer=form.cleaned_data["engineer"], actor=request.user
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("已指派巡检工程师。"))
            return redirect("inspections:visit", pk=visit.pk)
    return render_visit(request, visit, assign_form=form, status=400)


@login_required
@require_POST
def cancel(request, pk: int):
    visit = visible_visit(request, pk)
    forbid_unless_allowed(visit, "cancel", request.user)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_visit(visit, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("巡检已取消。"))
            return redirect("inspections:visit", pk=visit.pk)
    return render_visit(request, visit, cancel_form=form, status=400)


@login_required
@require_POST
def generate(request):
    """Plan the contract year containing the chosen day (idempotent)."""
    if not may(request.user, Capability.INSPECTION_PLAN):
        raise PermissionDenied  # the service checks it too, per contract
    form = GenerateForm(request.POST, user=request.user)
    if not form.is_valid():
        return calendar(request, generate_form=form, status=400)
    contract = form.cleaned_data["contract"]
    try:
        result = services.generate_plan(
            contract, on=form.cleaned_data["on"] or clock.today(), actor=request.user
        )
    except DomainError as error:
        form_error(form, error)
        return calendar(request, generate_form=form, status=400)
    messages.success(
        request,
        _("%(contract)s 第 %(n)s 合同年度：新增 %(new)s 次巡检，已有 %(kept)s 次。")
        % {"contract": contract.number, "n": result.contract_year, "new": len(result.created),
           "kept": result.kept},
    )  # fmt: skip
    return redirect(_calendar_url(result.start, str(contract.customer_id)))


@login_required
def plan(request):
    """A contract year's plan as a list by month: the customer's view of what they get, and the
    entitlement usage (visits done vs planned)."""
    contracts = Contract.objects.visible_to(request.user).select_related("customer", "plan")
    today = clock.today()
    chosen = request.GET.get("contract", "")
    contract = (
        contracts.filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else contracts.filter(start_date__lte=today, end_date__gte=today).first()
    ) or contracts.first()
    context = {"contracts": contracts, "contract": contract}
    if contract is not None:
        day = _day(request.GET.get("on", "")) or min(
            max(today, contract.start_date), contract.end_date
        )
        number, start, end = contract.contract_year(day)
        end = min(end, contract.end_date)
        visits = list(
            selectors.visible_visits(request.user)
            .filter(contract=contract, contract_year=number)
            .order_by("planned_date", "site__code")
        )
        # a pre-holiday visit for New Year's Day may fall just before the year begins
        first = min([start, *(v.planned_date for v in visits)])
        months: dict[dt.date, list] = {}
        for visit in visits:
            months.setdefault(visit.planned_date.replace(day=1), []).append(visit)
        context.update(
            number=number,
            start=start,
            end=end,
            months=sorted(months.items()),
            usage=selectors.visits_done_vs_planned(contract, first, end),
            previous=start - dt.timedelta(days=1) if start > contract.start_date else None,
            following=end + dt.timedelta(days=1) if end < contract.end_date else None,
        )
    return render(request, "inspections/plan.html", context)


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None

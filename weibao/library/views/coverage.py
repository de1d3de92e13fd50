"""Third-party warranty coverage and renewals (OTH-3). Writes are `master.edit`; a refused
renewal or reminder change re-renders the page with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.errors import DomainError
from weibao.library import selectors, services
from weibao.library.forms import CoverageForm, RenewalForm
from weibao.library.models import CoverageReminder
from weibao.library.views import add_error, needs_any, refusal_status


@login_required
def coverage_list(request):
    return render(
        request,
        "library/coverage_list.html",
        {"coverages": selectors.coverages_for(request.user), "today": clock.today()},
    )


@needs_any(Capability.MASTER_EDIT)
def coverage_new(request):
    form = CoverageForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            coverage = services.register_coverage(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = add_error(form, error)
        else:
            messages.success(request, _("第三方保修已登记。"))
            return redirect("library:coverage", pk=coverage.pk)
    return render(request, "library/coverage_form.html", {"form": form}, status=status)


def _coverage(request, pk):
    return get_object_or_404(selectors.coverages_for(request.user), pk=pk)


def _may_edit(user, coverage) -> None:
    """403 before reading the form (the service checks again when called)."""
    permissions.require(user, Capability.MASTER_EDIT, customer_id=coverage.customer_id)


def _render(request, coverage, *, renew_form=None, reminder_days=None, reminder_error="",
            status=200):  # fmt: skip
    current = coverage.current_period
    initial = {"start_date": current.expiry_date} if current is not None else None
    context = {
        "coverage": coverage,
        "current": current,
        "periods": sorted(coverage.periods.all(), key=lambda p: p.start_date, reverse=True),
        "reminders": CoverageReminder.objects.filter(period__coverage=coverage)
        .select_related("period")
        .order_by("-due_at"),
        "assets": coverage.assets.select_related("site"),
        "today": clock.today(),
        "can_edit": permissions.can(
            request.user, Capability.MASTER_EDIT, customer_id=coverage.customer_id
        ),
        "renew_form": renew_form or RenewalForm(initial=initial),
        "reminder_days": coverage.reminder_days if reminder_days is None else reminder_days,
        "reminder_error": reminder_error,
    }
    return render(request, "library/coverage_detail.html", context, status=status)


@login_required
def coverage_detail(request, pk: int):
    return _render(request, _coverage(request, pk))


@login_required
@require_POST
def coverage_renew(request, pk: int):
    coverage = _coverage(request, pk)
    _may_edit(request.user, coverage)
    form = RenewalForm(request.POST)
    if not form.is_valid():
        return _render(request, coverage, renew_form=form)
    try:
        services.renew_coverage(coverage, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        status = add_error(form, error)
        return _render(request, _coverage(request, pk), renew_form=form, status=status)
    messages.success(request, _("续保已登记。"))
    return redirect("library:coverage", pk=pk)


@login_required
@require_POST
def coverage_reminders(request, pk: int):
    coverage = _coverage(request, pk)
    _may_edit(request.user, coverage)
    typed = request.POST.get("reminder_days", "")
    try:
        services.change_reminder_days(coverage, reminder_days=typed, actor=request.user)
    except DomainError as error:
        status = refusal_status(error)
        return _render(
            request, coverage, reminder_days=typed, reminder_error=error.message, status=status
        )
    messages.success(request, _("提醒设置已保存。"))
    return redirect("library:coverage", pk=pk)

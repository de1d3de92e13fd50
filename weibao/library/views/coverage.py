"""Third-party warranty coverage and renewals (OTH-3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.library import selectors, services
from weibao.library.forms import CoverageForm, RenewalForm
from weibao.library.models import CoverageReminder
from weibao.library.views import add_error, provider_only


@login_required
def coverage_list(request):
    return render(
        request,
        "library/coverage_list.html",
        {"coverages": selectors.coverages_for(request.user), "today": clock.today()},
    )


@provider_only
def coverage_new(request):
    form = CoverageForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            coverage = services.register_coverage(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("第三方保修已登记。"))
            return redirect("library:coverage", pk=coverage.pk)
    return render(request, "library/coverage_form.html", {"form": form})


@login_required
def coverage_detail(request, pk: int):
    coverage = get_object_or_404(selectors.coverages_for(request.user), pk=pk)
    current = coverage.current_period
    context = {
        "coverage": coverage,
        "current": current,
        "periods": sorted(coverage.periods.all(), key=lambda p: p.start_date, reverse=True),
        "reminders": CoverageReminder.objects.filter(period__coverage=coverage)
        .select_related("period")
        .order_by("-due_at"),
        "assets": coverage.assets.select_related("site"),
        "today": clock.today(),
        "renew_form": RenewalForm(
            initial={"start_date": current.expiry_date} if current is not None else None
        ),
    }
    return render(request, "library/coverage_detail.html", context)


@provider_only
@require_POST
def coverage_renew(request, pk: int):
    coverage = get_object_or_404(selectors.coverages_for(request.user), pk=pk)
    form = RenewalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写开始和到期日期。"))
    else:
        try:
            services.renew_coverage(coverage, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("续保已登记。"))
    return redirect("library:coverage", pk=pk)


@provider_only
@require_POST
def coverage_reminders(request, pk: int):
    coverage = get_object_or_404(selectors.coverages_for(request.user), pk=pk)
    try:
        services.change_reminder_days(
            coverage, reminder_days=request.POST.get("reminder_days", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("提醒设置已保存。"))
    return redirect("library:coverage", pk=pk)

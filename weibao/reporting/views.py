"""Report screens: reports per contract, the report page with its charts, the generate button
with a progress display (htmx polls the progress every second), downloads, and the
engineer-written sections. Views parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import permissions
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused
from weibao.reporting import columns, generation, selectors, services
from weibao.reporting.choices import ExportFormat, PeriodKind
from weibao.reporting.forms import GenerateForm, SectionsForm
from weibao.reporting.models import AnalysisReport
from weibao.reporting.presenters import present


def _may(request, capability: str, contract) -> bool:
    return permissions.can(request.user, capability, customer_id=contract.customer_id)


def _show(form, error: DomainError) -> None:
    """A refused call on its field, or at the top; a missing capability answers 403."""
    if isinstance(error, PermissionRefused):
        raise error
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def index(request):
    """The contracts whose reports the user may read, each with its latest report: searched
    by number, name or customer, sorted by a header, paged with their total and exported to
    Excel as shown."""
    listing = Listing(
        request,
        selectors.report_index(request.user),
        columns=columns.contract_columns(request.user),
        default_sort="-start",
        search_fields=("number", "title", "customer__name"),
        export_name="reports",
    )
    if listing.wants_export:
        return listing.export()
    contracts = list(listing.page)
    reports = AnalysisReport.objects.in_bulk(
        [c.latest_report for c in contracts if c.latest_report]
    )
    rows = [{"contract": c, "latest": reports.get(c.latest_report)} for c in contracts]
    context = {"rows": rows, "listing": listing, "page": listing.page, "q": listing.q}
    return render(request, "reporting/index.html", context)


def render_contract(request, contract, *, form=None, status=200):
    """The contract's reports, with the generate form (as typed, after a refusal)."""
    reports = selectors.reports_for(request.user).filter(contract=contract)
    context = {"contract": contract, "reports": reports}
    if _may(request, Capability.REPORT_GENERATE, contract):
        choices = selectors.period_choices(contract)
        context["period_groups"] = [
            (label, choices[kind], kind) for kind, label in PeriodKind.choices
        ]
        context["form"] = form or GenerateForm()
    return render(request, "reporting/contract_reports.html", context, status=status)


@login_required
def contract_reports(request, contract_pk: int):
    contract = get_object_or_404(selectors.contracts_for(request.user), pk=contract_pk)
    return render_contract(request, contract)


@login_required
@require_POST
def generate(request, contract_pk: int):
    contract = get_object_or_404(selectors.contracts_for(request.user), pk=contract_pk)
    form = GenerateForm(request.POST)
    if form.is_valid():
        kind, day = form.cleaned_data["period"]
        try:
            report = services.request_report(
                contract, period_kind=kind, day=day,
                recurring_threshold=form.cleaned_data["recurring_threshold"], actor=request.user,
            )  # fmt: skip
        except DomainError as error:
            _show(form, error)
        else:
            return redirect("reporting:report", pk=report.pk)
    permissions.require(request.user, Capability.REPORT_GENERATE, customer_id=contract.customer_id)
    return render_contract(request, contract, form=form, status=400)


def _report(request, pk: int):
    return get_object_or_404(
        selectors.reports_for(request.user).select_related("contract__policy"), pk=pk
    )


def render_report(request, report, *, sections_form=None, status=200):
    """The report with its charts; the sections form as typed after a refusal."""
    context = {
        "report": report,
        "sections": present(report) if report.has_content else [],
        "images": report.charts or {},
        "formats": ExportFormat.choices,
    }
    if _may(request, Capability.REPORT_EDIT, report.contract):
        context["sections_form"] = sections_form or SectionsForm(
            initial={name: getattr(report, name) for name in SectionsForm.base_fields}
        )
    return render(request, "reporting/report.html", context, status=status)


@login_required
def report_page(request, pk: int):
    return render_report(request, _report(request, pk))


@login_required
def progress(request, pk: int):
    """htmx: the progress box; once generation is over, the page reloads itself."""
    report = _report(request, pk)
    if request.htmx and not report.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "reporting/_progress.html", {"report": report})


@login_required
@require_POST
def save_sections(request, pk: int):
    report = _report(request, pk)
    form = SectionsForm(request.POST)
    if form.is_valid():
        try:
            services.save_sections(report, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("分析内容已保存；下载的文件将包含最新内容。"))
            return redirect("reporting:report", pk=pk)
    permissions.require(
        request.user, Capability.REPORT_EDIT, customer_id=report.contract.customer_id
    )
    return render_report(request, report, sections_form=form, status=400)


@login_required
def download(request, pk: int, fmt: str):
    report = _report(request, pk)
    if fmt not in ExportFormat.values or not report.has_content:
        raise Http404
    report = generation.ensure_file(report, fmt)
    return FileResponse(
        getattr(report, fmt).open("rb"),
        as_attachment=True,
        filename=generation.download_name(report, fmt),
    )

"""The visit page and the engineer's checklist on a phone: arrive, record item by item
(htmx, one item at a time), finish."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.inspections import flow, paperwork, permissions, selectors, services
from weibao.inspections.choices import CheckSection, VisitState
from weibao.inspections.forms import AssignForm, CheckForm, CompleteForm, MoveForm
from weibao.inspections.models import CheckResult
from weibao.inspections.views.common import form_error, require_inspector, visible_visit


@login_required
def visit_detail(request, pk: int):
    visit = visible_visit(request, pk)
    can_plan = permissions.can_plan(request.user)
    context = {
        "visit": visit,
        "counts": selectors.visit_counts(visit),
        "moves": visit.moves.select_related("actor"),
        "documents": paperwork.documents_for(visit),
        "history": history_for(visit, limit=50),
        "findings": visit.checks.filter(ticket__isnull=False).select_related("ticket"),
        "can_plan": can_plan,
        "can_inspect": permissions.can_inspect(request.user),
        "can_start": flow.can(visit, "start"),
        "move_form": MoveForm(initial={"new_date": visit.planned_date}) if can_plan else None,
        "assign_form": AssignForm(
            initial={"engineer": visit.engineer_id}, engineers=selectors.engineers()
        )
        if can_plan
        else None,
    }
    return render(request, "inspections/visit_detail.html", context)


@login_required
def mine(request):
    """The engineer's list: visits in progress and the next ones to do."""
    require_inspector(request)
    return render(
        request, "inspections/mine.html", {"visits": selectors.engineer_queue(request.user)}
    )


@login_required
@require_POST
def start(request, pk: int):
    require_inspector(request)
    visit = visible_visit(request, pk)
    try:
        services.start_visit(visit, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("inspections:visit", pk=visit.pk)
    messages.success(request, _("已到场，巡检申请报告已提交客户签字。"))
    return redirect("inspections:checklist", pk=visit.pk)


@login_required
def checklist(request, pk: int):
    visit = visible_visit(request, pk)
    if visit.state == VisitState.PLANNED:
        return redirect("inspections:visit", pk=visit.pk)
    data = selectors.checklist(visit)
    editable = visit.state == VisitState.IN_PROGRESS and permissions.can_inspect(request.user)
    sections = [
        (CheckSection(section).label, [_item(check, editable) for check in checks])
        for section, checks in sorted(data["sections"].items(), key=lambda s: s[0] != "system")
    ]
    context = {
        "visit": visit,
        "sections": sections,
        "total": data["total"],
        "pending": data["pending"],
        "done": data["total"] - data["pending"],
        "editable": editable,
        "complete_form": CompleteForm(initial={"summary": visit.summary}) if editable else None,
        "documents": paperwork.documents_for(visit),
    }
    return render(request, "inspections/checklist.html", context)


def _item(check: CheckResult, editable: bool, form: CheckForm | None = None) -> dict:
    if form is None and editable:
        form = CheckForm(
            check=check,
            initial={
                "outcome": check.outcome if check.outcome != "pending" else None,
                "value": check.value,
                "note": check.note,
                "asset": check.asset_id,
            },
        )
    return {"check": check, "form": form, "editable": editable}


@login_required
@require_POST
def record(request, pk: int):
    """Save one item; htmx swaps the item's card, a plain post returns to the list."""
    require_inspector(request)
    check = get_object_or_404(
        CheckResult.objects.visible_to(request.user).select_related("visit", "ticket"), pk=pk
    )
    form = CheckForm(request.POST, request.FILES, check=check)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            check = services.record_check(
                check,
                outcome=data["outcome"],
                value=data["value"],
                note=data["note"],
                photo=data["photo"],
                asset=data["asset"],
                level=data["level"],
                actor=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            saved = True
    if request.htmx:
        counts = selectors.visit_counts(check.visit)
        total = sum(counts.values())
        progress = {"total": total, "pending": counts["pending"], "done": total - counts["pending"]}
        item = _item(check, True, None if saved else form)
        return render(
            request,
            "inspections/_check.html",
            {"item": item, "saved": saved, "progress": progress},
        )
    if saved:
        messages.success(request, _("已保存：%(text)s") % {"text": check.text})
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("inspections:checklist", args=[check.visit_id]) + f"#check-{check.pk}")


@login_required
@require_POST
def complete(request, pk: int):
    require_inspector(request)
    visit = visible_visit(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_visit(visit, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("inspections:checklist", pk=visit.pk)
        messages.success(request, _("巡检已完成，巡检报告已提交客户负责人签字。"))
    return redirect("inspections:visit", pk=visit.pk)


@login_required
def photo(request, pk: int):
    """A check's photo, only for those who may see the visit."""
    check = get_object_or_404(CheckResult.objects.visible_to(request.user), pk=pk)
    if not check.photo:
        raise Http404
    content_type = mimetypes.guess_type(check.photo.name)[0] or "application/octet-stream"
    return FileResponse(check.photo.open("rb"), content_type=content_type)

"""The visit page and the engineer's checklist on a phone: arrive, record item by item
(htmx, one item at a time), finish. A refused action re-renders the page with what was typed
and the reason; a missing capability answers 403."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core.errors import DomainError, page_status
from weibao.core.selectors import history_for
from weibao.inspections import paperwork, selectors, services
from weibao.inspections.choices import CheckSection, VisitState
from weibao.inspections.flow import INSPECTION_VISIT_FLOW as FLOW
from weibao.inspections.forms import AssignForm, CancelForm, CheckForm, CompleteForm, MoveForm
from weibao.inspections.models import CheckResult
from weibao.inspections.views.common import (
    forbidden_if_denied,
    form_error,
    may,
    moves_of,
    visible_visit,
)

BADGES = {
    VisitState.DONE: "done",
    VisitState.CANCELLED: "cancelled",
    VisitState.IN_PROGRESS: "running",
}


def render_visit(request, visit, *, error: str = "", status: int = 200, **forms):
    """The visit page; `forms` carry what was typed into a refused form, `error` the reason
    of a refused button."""
    moves = moves_of(visit, request.user)
    available = moves["available"]
    context = {
        "visit": visit,
        "counts": selectors.visit_counts(visit),
        "moves": visit.moves.select_related("actor"),
        "documents": paperwork.documents_for(visit),
        "history": history_for(visit, reader=request.user, limit=50),
        "findings": visit.checks.filter(ticket__isnull=False).select_related("ticket"),
        "available": available,
        "blocked": moves["blocked"],
        "error": error,
        "badge": BADGES.get(visit.state, "pending"),
        "move_form": forms.get("move_form")
        or (MoveForm(initial={"new_date": visit.planned_date}) if "reschedule" in available
            else None),
        "assign_form": forms.get("assign_form")
        or (AssignForm(initial={"engineer": visit.engineer_id}, engineers=selectors.engineers())
            if "assign" in available else None),
        "cancel_form": forms.get("cancel_form")
        or (CancelForm() if "cancel" in available else None),
    }  # fmt: skip
    return render(request, "inspections/visit_detail.html", context, status=status)


@login_required
def visit_detail(request, pk: int):
    return render_visit(request, visible_visit(request, pk))


@login_required
def mine(request):
    """The engineer's list: visits in progress and the next ones to do."""
    if not may(request.user, Capability.VISIT_WORK):
        raise PermissionDenied
    visits = list(selectors.engineer_queue(request.user))
    for visit in visits:
        visit.offers = {m.verb for m in FLOW.available(visit, request.user)}
    return render(request, "inspections/mine.html", {"visits": visits})


@login_required
@require_POST
def start(request, pk: int):
    visit = visible_visit(request, pk)
    try:
        services.start_visit(visit, actor=request.user)
    except DomainError as error:
        forbidden_if_denied(error)
        return render_visit(request, visit, error=error.message, status=409)
    messages.success(request, _("已到场，巡检申请报告已提交客户签字。"))
    return redirect("inspections:checklist", pk=visit.pk)


def render_checklist(
    request, visit, *, complete_form=None, refused=None, error: str = "", status: int = 200
):
    """The checklist; `refused` is (check id, form) of an item whose save was refused, shown
    as it was typed."""
    if not visit.checks.exists() and "start" in {m.verb for m in FLOW.available(visit)}:
        return redirect("inspections:visit", pk=visit.pk)  # nothing to show before arrival
    data = selectors.checklist(visit)
    editable = FLOW.can(visit, "record", request.user)
    typed = dict([refused]) if refused else {}
    sections = [
        (CheckSection(section).label, [_item(c, editable, typed.get(c.pk)) for c in checks])
        for section, checks in sorted(data["sections"].items(), key=lambda s: s[0] != "system")
    ]
    if complete_form is None and editable:
        complete_form = CompleteForm(initial={"summary": visit.summary})
    context = {
        "visit": visit,
        "sections": sections,
        "total": data["total"],
        "pending": data["pending"],
        "done": data["total"] - data["pending"],
        "editable": editable,
        "complete_form": complete_form,
        "error": error,
        "documents": paperwork.documents_for(visit),
    }
    return render(request, "inspections/checklist.html", context, status=status)


@login_required
def checklist(request, pk: int):
    return render_checklist(request, visible_visit(request, pk))


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
    """Save one item; htmx swaps the item's card. A refused item keeps what was typed (the
    card, or the whole checklist for a plain post)."""
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
    if not saved and not request.htmx:
        return render_checklist(
            request, check.visit, refused=(check.pk, form), status=page_status(request)
        )
    counts = selectors.visit_counts(check.visit)
    total = sum(counts.values())
    progress = {"total": total, "pending": counts["pending"], "done": total - counts["pending"]}
    if request.htmx:
        item = _item(check, True, None if saved else form)
        return render(
            request,
            "inspections/_check.html",
            {"item": item, "saved": saved, "progress": progress},
            status=200 if saved else page_status(request),  # htmx: 200, so the card is swapped
        )
    messages.success(request, _("已保存：%(text)s") % {"text": check.text})
    return redirect(reverse("inspections:checklist", args=[check.visit_id]) + f"#check-{check.pk}")


@login_required
@require_POST
def complete(request, pk: int):
    visit = visible_visit(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_visit(visit, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("巡检已完成，巡检报告已提交客户负责人签字。"))
            return redirect("inspections:visit", pk=visit.pk)
    return render_checklist(request, visit, complete_form=form, status=400)


@login_required
def photo(request, pk: int):
    """A check's photo, only for those who may see the visit."""
    check = get_object_or_404(CheckResult.objects.visible_to(request.user), pk=pk)
    if not check.photo:
        raise Http404
    content_type = mimetypes.guess_type(check.photo.name)[0] or "application/octet-stream"
    return FileResponse(check.photo.open("rb"), content_type=content_type)

"""Billing screens: mark a ticket out of scope, the statement list and page (provider
prepares and sends; the customer approves or rejects in the portal), PDF and Excel. Views
parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.billing import flow, selectors, services
from weibao.billing.choices import StatementState
from weibao.billing.exports import XLSX_CONTENT_TYPE, statement_pdf, statement_xlsx
from weibao.billing.forms import ExclusionForm, LineForm
from weibao.billing.models import Exclusion, Statement
from weibao.core.errors import DomainError
from weibao.tickets.models import Ticket


def _visible_statement(request, pk: int) -> Statement:
    return get_object_or_404(selectors.statements_for(request.user), pk=pk)


@login_required
def statement_list(request):
    state = request.GET.get("state", "")
    statements = selectors.statements_for(request.user, state=state)
    context = {
        "statements": statements[:200],
        "state": state,
        "states": StatementState.choices,
        "awaiting": selectors.awaiting_approval(request.user) if request.user.customer_id else [],
    }
    return render(request, "billing/statement_list.html", context)


@login_required
def statement_detail(request, pk: int):
    statement = _visible_statement(request, pk)
    context = {
        "statement": statement,
        "moves": flow.available_moves(statement, request.user),
        "line_form": LineForm() if statement.is_draft and not request.user.customer_id else None,
        **selectors.statement_page(statement),
    }
    return render(request, "billing/statement_detail.html", context)


@login_required
@require_POST
def statement_act(request, pk: int, verb: str):
    statement = _visible_statement(request, pk)
    user, post = request.user, request.POST
    try:
        if verb == "add_line":
            form = LineForm(post)
            if not form.is_valid():
                raise DomainError(_("请检查费用明细：%(errors)s") % {"errors": _errors(form)})
            services.add_line(statement, actor=user, **form.cleaned_data)
        elif verb == "remove_line":
            line = get_object_or_404(statement.lines, pk=post.get("line") or 0)
            services.remove_line(line, actor=user)
        elif verb in flow.MOVES:
            services.move_statement(statement, verb, actor=user, note=post.get("note", ""))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("billing:detail", pk=pk)


def _errors(form) -> str:
    return "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items())


@login_required
def statement_download(request, pk: int, fmt: str):
    statement = _visible_statement(request, pk)
    if fmt == "pdf":
        try:
            body = statement_pdf(statement)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("billing:detail", pk=pk)
        content_type, extension = "application/pdf", "pdf"
    elif fmt == "xlsx":
        body, content_type, extension = statement_xlsx(statement), XLSX_CONTENT_TYPE, "xlsx"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{statement.number}.{extension}"'
    return response


@login_required
def mark_ticket(request, ticket_pk: int):
    """The engineer marks a ticket out of scope with causes and evidence."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=ticket_pk)
    if request.user.customer_id:
        raise Http404
    existing = services.exclusion_for(ticket)
    form = ExclusionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            exclusion = services.mark_out_of_scope(ticket, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已认定不在承保范围，请填写费用明细。"))
            return redirect("billing:detail", pk=exclusion.statements.first().pk)
    context = {
        "ticket": ticket,
        "form": form,
        "existing": existing,
        "statements": selectors.statements_about(ticket, request.user),
    }
    return render(request, "billing/mark_out_of_scope.html", context)


@login_required
def evidence(request, pk: int):
    """The evidence file of an exclusion, to people who may see it."""
    exclusion = get_object_or_404(Exclusion.objects.visible_to(request.user), pk=pk)
    if not exclusion.attachment:
        raise Http404
    return FileResponse(
        exclusion.attachment.open("rb"),
        as_attachment=True,
        filename=exclusion.attachment.name.rsplit("/", 1)[-1],
    )

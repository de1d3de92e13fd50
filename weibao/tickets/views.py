"""Ticket screens: the agent's queue and intake, the ticket page with its actions, and the
customer's portal list. Views parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.escalations import services as escalations
from weibao.tickets import flow, selectors, services
from weibao.tickets.choices import ConsentMethod, Level
from weibao.tickets.classification import suggest_level
from weibao.tickets.forms import TicketForm
from weibao.tickets.models import ClassificationCriterion, Ticket


@login_required
def queue(request):
    level = request.GET.get("level", "")
    tickets = selectors.queue(request.user, level=level, stage=request.GET.get("stage", ""))
    template = "tickets/queue.html"
    if request.user.customer_id:
        template = "tickets/portal_list.html"
        tickets = Ticket.objects.visible_to(request.user).select_related("site")[:200]
    if request.htmx:
        template = template.replace(".html", "_rows.html")
    return render(
        request,
        template,
        {"tickets": tickets, "level": level, "levels": Level.choices, "now": clock.now()},
    )


@login_required
def new(request):
    form = TicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            ticket = services.open_ticket(
                actor=request.user,
                criteria=list(data.pop("criteria")),
                level=data.pop("level") or "",
                **data,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已受理工单 %(number)s。") % {"number": ticket.number})
            return redirect("tickets:detail", pk=ticket.pk)
    return render(request, "tickets/new.html", {"form": form})


@login_required
def form_options(request):
    """htmx: the site/asset choices for the chosen customer/site, and the suggested level."""
    form = TicketForm(request.GET, user=request.user)
    criteria = ClassificationCriterion.objects.filter(pk__in=request.GET.getlist("criteria"))
    return render(
        request,
        "tickets/_form_options.html",
        {"form": form, "suggested": suggest_level(criteria)},
    )


@login_required
def detail(request, pk: int):
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related(
            "customer", "site", "asset", "contract", "assigned_engineer", "service_point"
        ),
        pk=pk,
    )
    context = {
        "ticket": ticket,
        "now": clock.now(),
        "moves": flow.available_moves(ticket) if not request.user.customer_id else [],
        "blocked": _blocked_moves(ticket) if not request.user.customer_id else [],
        "levels": [
            c for c in Level.choices if c[0] != "L4" or ticket.frozen_policy.level_scheme == 4
        ],
        "consent_methods": ConsentMethod.choices,
        "engineers": get_user_model()
        .objects.filter(role_assignments__role=Role.ENGINEER, is_active=True)
        .distinct(),
        **selectors.ticket_page(ticket),
    }
    return render(request, "tickets/detail.html", context)


def _blocked_moves(ticket):
    """Moves from this stage that a guard refuses, with the reason, so the agent sees why."""
    blocked = []
    for verb, move in flow.MOVES.items():
        reason = flow.refusal(ticket, verb)
        if reason is not None and ticket.stage in move.sources:
            blocked.append({"label": move.label, "reason": reason.message})
    return blocked


def _handler(request, ticket, verb: str):
    user, post = request.user, request.POST
    handlers = {
        "level": lambda: services.change_level(
            ticket, level=post.get("level", ""), reason=post.get("reason", ""), actor=user
        ),
        "consent": lambda: services.record_consent(
            ticket, by=post.get("by", ""), method=post.get("method", ""), actor=user
        ),
        "respond": lambda: services.respond(ticket, actor=user),
        "remote_connected": lambda: services.remote_connected(ticket, actor=user),
        "dispatch": lambda: services.dispatch(
            ticket,
            engineer=get_object_or_404(get_user_model(), pk=post.get("engineer") or 0),
            actor=user,
        ),
        "arrive": lambda: services.arrive(ticket, actor=user),
        "pause": lambda: services.pause(ticket, reason=post.get("reason", ""), actor=user),
        "resume": lambda: services.resume(ticket, actor=user),
        "callback": lambda: services.record_callback(
            ticket,
            satisfied=post.get("satisfied") == "yes",
            score=int(post["score"]) if post.get("score", "").isdigit() else None,
            note=post.get("note", ""),
            actor=user,
        ),
        "action_done": lambda: escalations.complete_action(
            ticket, post.get("code", ""), actor=user, note=post.get("note", "")
        ),
        "action_waive": lambda: escalations.waive_action(
            ticket, post.get("code", ""), actor=user, reason=post.get("reason", "")
        ),
    }
    if verb in flow.MOVES:
        return lambda: services.move(ticket, verb, actor=user, note=post.get("note", ""))
    return handlers.get(verb)


@login_required
@require_POST
def act(request, pk: int, verb: str):
    if request.user.customer_id:
        raise PermissionDenied
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=pk)
    handler = _handler(request, ticket, verb)
    if handler is None:
        messages.error(request, _("没有这个操作。"))
    else:
        try:
            handler()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已保存。"))
    return redirect("tickets:detail", pk=pk)

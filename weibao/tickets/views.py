"""Ticket screens: the agent's queue and intake, the ticket page with its actions, and the
customer's portal list. Views parse input, call one service and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.choices import Role
from weibao.accounts.selectors import provider_staff_with_role
from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.core.permissions import PERMISSION_DENIED, PermissionRefused
from weibao.escalations import services as escalations
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tenancy.selectors import (
    CALLER_MIN_DIGITS,
    caller_of_contact,
    callers_by_phone,
    phone_digits,
)
from weibao.tickets import queue as queue_rules
from weibao.tickets import selectors, services
from weibao.tickets.choices import Level
from weibao.tickets.classification import suggest_level
from weibao.tickets.filtersets import TicketQueueFilter
from weibao.tickets.flow import TICKET_FLOW
from weibao.tickets.forms import (
    CallbackForm,
    ConsentForm,
    LevelForm,
    NoteForm,
    PauseForm,
    ResolveForm,
    TicketForm,
    TypeAheadChoiceField,
)
from weibao.tickets.models import (
    ClassificationCriterion,
    NoteVisibility,
    Ticket,
    TicketAttachment,
)
from weibao.tickets.services import notes


@login_required
def queue(request):
    """The agent's queue (open tickets, most urgent first) or the customer's 我的报修 (all
    their requests, newest first): searchable, filtered, sorted, in keyset pages of 50; the
    rows refresh themselves (htmx) with the same query string."""
    customer = bool(request.user.customer_id)
    data = request.GET.copy()
    if "q" in data:
        data.setdefault("search", data["q"])
    picker = _customer_picker(request.user)
    chosen = None
    if not customer and data.get("customer"):  # the type-ahead box holds a label, or an id
        chosen = _chosen_customer(picker, data["customer"])
        if chosen is not None:
            data["customer"] = str(chosen.pk)
    default_state = queue_rules.States.ALL if customer else queue_rules.States.OPEN
    filters = TicketQueueFilter(
        data,
        queryset=queue_rules.rows_of(Ticket.objects.visible_to(request.user)),
        request=request,
        default_state=default_state,
    )
    valid = filters.is_valid()
    ordering = filters.ordering_of("-reported_at" if customer else "urgency") if valid else ""
    try:
        page = queue_rules.page(
            filters.qs if valid else Ticket.objects.none(),
            ordering or "urgency",
            cursor=request.GET.get("cursor", ""),
        )
    except queue_rules.BadCursor:
        page = queue_rules.page(Ticket.objects.none(), "urgency")
        errors = {"cursor": [_("分页位置无效，请从第一页重新查找。")]}
    else:
        errors = {} if valid else filters.errors
    template = "tickets/portal_list.html" if customer else "tickets/queue.html"
    fragment = bool(request.htmx and request.htmx.target in ("queue-results", "portal-results"))
    if fragment:
        template = template.replace(".html", "_rows.html")
    context = {
        "page": page,
        "tickets": page.rows,
        "filters": filters,
        "errors": errors,
        "params": _query_without(request.GET, "cursor"),
        "sort_links": _sort_links(request.GET, ordering),
        "ordering": ordering,
        "level": request.GET.get("level", ""),
        "levels": Level.choices,
        "now": clock.now(),
        "refresh_seconds": settings.WEIBAO_QUEUE_REFRESH_SECONDS,
    }
    if not customer and not fragment:  # the filter form: the full page only, not a refresh
        context |= {
            "customer_label": (
                picker.label_from_instance(chosen) if chosen else data.get("customer", "")
            ),
            "sites": _sites_of(request, chosen),
            "engineers": provider_staff_with_role(
                Role.ENGINEER, provider_id=request.user.provider_id
            ),
        }
    return render(request, template, context)


def _query_without(params, *names: str) -> str:
    """The query string of `params` without `names` (a page link adds its own cursor)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _sort_links(params, current: str) -> dict[str, str]:
    """Column header links: the first click sorts by the column, the next one reverses it
    (urgency has one direction); filters are kept, the page starts again at the top."""
    first = {"number": "number", "level": "level", "reported_at": "-reported_at"}
    links = {"urgency": "urgency"}
    for column, ordering in first.items():
        reverse = ordering[1:] if ordering.startswith("-") else f"-{ordering}"
        links[column] = reverse if current == ordering else ordering
    kept = params.copy()
    kept.pop("cursor", None)
    for column, ordering in links.items():
        kept["ordering"] = ordering
        links[column] = "?" + kept.urlencode()
    return links


def _sites_of(request, customer):
    """The sites to pick from in the queue's filter: those of the chosen customer (a customer
    may have hundreds; all customers' sites together are too many for one list)."""
    if customer is None:
        return Site.objects.none()
    return Site.objects.visible_to(request.user).filter(customer=customer).only("id", "name")


def _customer_picker(user) -> TypeAheadChoiceField:
    """The queue's customer box: a type-ahead (name · code) over the customers `user` sees,
    as the intake's site and asset boxes (`TypeAheadChoiceField`)."""
    return TypeAheadChoiceField(
        Customer.objects.visible_to(user).order_by("name", "code"),
        key="code",
        key_first=False,
        datalist="queue-customer-choices",
    )


def _chosen_customer(picker, value: str):
    """The customer the box names: an id (links, the API's form) or what the type-ahead
    takes (its label, a code, a name or a name's unique part)."""
    value = value.strip()
    if value.isdigit():
        return picker.queryset.filter(pk=int(value)).first()
    return picker.find(value)


# Customers a type-ahead offers at once: the browser narrows them as one types, and the next
# keystrokes ask again with the text typed.
CUSTOMER_CHOICES = 50


@login_required
def queue_customers(request):
    """htmx: the suggestions of the queue's customer box, for what is typed in it (name or
    code, any part); the box's first focus asks with nothing typed."""
    if request.user.customer_id:
        raise Http404
    picker = _customer_picker(request.user)
    text = request.GET.get("customer", "").strip()
    chosen = _chosen_customer(picker, text) if text else None
    if chosen is not None:
        customers = [chosen]
    else:
        customers = picker.queryset
        for word in text.replace("·", " ").split():
            customers = customers.filter(Q(name__icontains=word) | Q(code__icontains=word))
        customers = customers.only("id", "name", "code")[:CUSTOMER_CHOICES]
    labels = [picker.label_from_instance(c) for c in customers]
    return render(request, "tickets/_queue_customers.html", {"labels": labels})


@login_required
def new(request):
    form = TicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_ticket(actor=request.user, **form.service_arguments())
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("已受理工单 %(number)s。") % {"number": ticket.number})
            return redirect("tickets:detail", pk=ticket.pk)
    suggested = _suggested_level(request.POST) if form.is_bound else None
    return render(request, "tickets/new.html", {"form": form, "suggested": suggested})


def _refuse(form, error: DomainError) -> None:
    """Put the service's refusal at its field (or at the top); 403s go to the 403 page."""
    if error.status == 403:
        raise PermissionRefused(error.message, capability=getattr(error, "capability", "") or "")
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _suggested_level(data) -> str | None:
    ticked = [pk for pk in data.getlist("criteria") if pk.isdigit()]
    return suggest_level(ClassificationCriterion.objects.filter(pk__in=ticked))


def _typed(request) -> dict:
    """What the intake form holds so far, as the initial values of an unbound form: a
    refresh shows choices, never errors (those come when the form is sent)."""
    return {name: request.GET.get(name) for name in request.GET if name != "criteria"}


@login_required
def form_options(request):
    """htmx: the site and asset suggestions for the chosen customer and site, and the level
    the ticked criteria suggest (out-of-band swaps; the boxes being typed in stay)."""
    typed = _typed(request)
    form = TicketForm(initial=typed, user=request.user)
    # another customer chosen: a site or asset typed for the one before is emptied
    clear = (
        request.htmx.trigger_name == "customer"
        and bool(typed.get("site"))
        and form.fields["site"].find(typed["site"]) is None
    )
    if clear:
        form = TicketForm(initial={**typed, "site": "", "asset": ""}, user=request.user)
    form.swap_out_of_band(*(("site", "asset") if clear else ()))
    return render(
        request,
        "tickets/_form_options.html",
        {
            "form": form,
            "suggested": _suggested_level(request.GET),
            "oob": True,
            "refresh": True,
        },
    )


@login_required
def caller(request):
    """htmx: who is calling. The contacts whose number ends with the digits typed (the one
    lookup, `tenancy.selectors.callers_by_phone`); one found, or one picked from several,
    fills the caller's name, customer and site. A number that no longer matches the caller
    filled before takes back what was filled (unless the user changed it)."""
    typed = _typed(request)
    callers = callers_by_phone(request.user, typed.get("contact_phone") or "")
    picked = typed.get("pick")
    if picked:
        chosen = next((c for c in callers if str(c.contact.pk) == picked), None)
    else:
        chosen = callers[0] if len(callers) == 1 else None
    filled = {}
    if chosen is not None:
        filled = {
            "contact": chosen.contact.pk,
            "contact_name": chosen.contact.name,
            "customer": chosen.customer.pk,
        }
        if picked:
            filled["contact_phone"] = chosen.contact.phone
        if chosen.site_id:
            filled["site"] = chosen.site_id
        if str(chosen.customer.pk) != typed.get("customer") or chosen.site_id:
            filled["asset"] = ""
            filled.setdefault("site", "")
    elif typed.get("contact"):
        filled = _unfilled(request.user, typed)
    form = TicketForm(initial={**typed, **filled}, user=request.user)
    form.swap_out_of_band(*filled)
    focus = ""
    if picked and chosen is not None:
        focus = "#id_fault_phenomenon" if chosen.site_id else "#id_site"
    context = {
        "form": form,
        "callers": callers,
        "chosen": chosen,
        "filled": filled,
        "searched": len(phone_digits(typed.get("contact_phone") or "")) >= CALLER_MIN_DIGITS,
        "focus": focus,
        "oob": True,
    }
    return render(request, "tickets/_caller.html", context)


def _unfilled(user, typed: dict) -> dict:
    """The values to empty when the number typed no longer matches the caller filled before:
    what still shows as that caller's (name, customer, site) — not what the user changed."""
    empty = {"contact": ""}
    before = caller_of_contact(user, typed.get("contact"))
    if before is None:
        return empty
    if typed.get("contact_name") == before.contact.name:
        empty["contact_name"] = ""
    if typed.get("customer") == str(before.customer.pk):
        empty.update(customer="", site="", asset="")
    return empty


def _ticket(request, pk: int) -> Ticket:
    return get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related(
            "customer",
            "site",
            "asset",
            "contract",
            "assigned_engineer",
            "service_point",
            "cause",
            "third_party_coverage",
        ),
        pk=pk,
    )


def _forms(ticket, data=None, verb: str = "") -> dict:
    """One form per action; only the posted one is bound (it keeps what was typed)."""

    def bound(name):
        return data if name == verb else None

    forms = {
        "level": LevelForm(bound("level"), ticket=ticket, prefix="level"),
        "reclassify": LevelForm(bound("reclassify"), ticket=ticket, prefix="reclassify"),
        "consent": ConsentForm(bound("consent"), prefix="consent"),
        "pause": PauseForm(bound("pause"), prefix="pause"),
        "resolve": ResolveForm(bound("resolve"), prefix="resolve"),
        "callback": CallbackForm(bound("callback"), prefix="callback"),
    }
    for move in TICKET_FLOW.moves.values():
        if move.button:
            forms[move.verb] = NoteForm(bound(move.verb), prefix=move.verb)
    return forms


def _page(request, ticket, forms, error=None, status=200, note_form=None):
    user = request.user
    available = TICKET_FLOW.available(ticket, user)
    context = {
        "ticket": ticket,
        "now": clock.now(),
        "moves": [m for m in available if m.button],
        "available_verbs": {m.verb for m in available},
        # a move the user may never make is no news to them; a guard's reason is
        "blocked": [{"label": m.label, "reason": r.message}
                    for m, r in TICKET_FLOW.blocked(ticket, user)
                    if r.code != PERMISSION_DENIED],
        "allowed": selectors.allowed_actions(ticket, user),
        "forms": forms,
        "error": error,
        "engineers": provider_staff_with_role(Role.ENGINEER,
                                              provider_id=ticket.customer.provider_id),
        "note_form": note_form or _note_form(user),
        **selectors.ticket_page(ticket, user),
    }  # fmt: skip
    return render(request, "tickets/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    ticket = _ticket(request, pk)
    return _page(request, ticket, _forms(ticket))


def _note_form(user, body: str = "", visibility: str = "", errors=None) -> dict:
    """What the note form shows: what was typed, and the refusal at its field. A customer's
    note is always public, so they are not offered the choice."""
    default = NoteVisibility.PUBLIC if user.customer_id else NoteVisibility.INTERNAL
    return {
        "body": body,
        "visibility": visibility or default,
        "choices": [] if user.customer_id else NoteVisibility.choices,
        "errors": errors or {},
    }


@login_required
@require_POST
def add_note(request, pk: int):
    """POST a note (text and/or files) on the ticket; htmx swaps the timeline and the form.
    Refused: the form again with what was typed and the error at its field (400 for a plain
    post; htmx gets the swapped form, as its 4xx answers are not swapped)."""
    ticket = _ticket(request, pk)
    body = request.POST.get("body", "")
    visibility = request.POST.get("visibility", "")
    try:
        notes.add_note(
            ticket,
            actor=request.user,
            body=body,
            visibility=visibility or NoteVisibility.INTERNAL,
            files=request.FILES.getlist("files"),
        )
    except DomainError as refused:
        if refused.status == 403:
            raise PermissionRefused(refused.message, capability="ticket.open") from refused
        form = _note_form(request.user, body, visibility,
                          {refused.field or "body": refused.message})  # fmt: skip
        if request.htmx:
            return _notes_partial(request, ticket, form)
        return _page(request, ticket, _forms(ticket), status=400, note_form=form)
    if request.htmx:
        return _notes_partial(request, ticket, _note_form(request.user), saved=True)
    messages.success(request, _("已添加备注。"))
    return redirect(reverse("tickets:detail", args=[pk]) + "#notes")


def _notes_partial(request, ticket, form, saved: bool = False):
    context = {
        "ticket": ticket,
        "timeline": selectors.timeline(ticket, request.user),
        "allowed": selectors.allowed_actions(ticket, request.user),
        "note_form": form,
        "saved": saved,
    }
    return render(request, "tickets/_notes.html", context)


@login_required
def attachment(request, pk: int):
    """Download a ticket's photo or file: only on a ticket the user sees, and only a public
    one for a customer (otherwise 404)."""
    try:
        item = selectors.visible_attachment(request.user, pk)
    except TicketAttachment.DoesNotExist:
        raise Http404(_("没有这个附件。")) from None
    return FileResponse(
        item.file.open("rb"),
        as_attachment=not item.is_image,
        filename=item.name,
        content_type=item.content_type,
    )


@require_POST
@login_required
def delete_attachment(request, pk: int):
    """Delete a photo or file (its uploader, or staff who work the ticket); htmx swaps the
    timeline. An attachment the user cannot see answers 404, one they may not delete 403."""
    try:
        item = selectors.visible_attachment(request.user, pk)
    except TicketAttachment.DoesNotExist:
        raise Http404(_("没有这个附件。")) from None
    ticket = _ticket(request, item.ticket_id)
    notes.delete_attachment(item, actor=request.user)
    if request.htmx:
        return _notes_partial(request, ticket, _note_form(request.user))
    messages.success(request, _("已删除附件 %(name)s。") % {"name": item.name})
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#notes")


def _call(verb: str, ticket, form, user):
    """The one service behind each action of the ticket page."""
    d = form.cleaned_data
    calls = {
        "level": lambda: services.change_level(
            ticket, level=d["level"], reason=d["reason"], actor=user),
        "reclassify": lambda: services.reclassify(
            ticket, level=d["level"], reason=d["reason"], actor=user),
        "consent": lambda: services.record_consent(
            ticket, by=d["by"], method=d["method"], actor=user),
        "respond": lambda: services.respond(ticket, actor=user),
        "remote_connected": lambda: services.remote_connected(ticket, actor=user),
        "pause": lambda: services.pause(ticket, reason=d["reason"], actor=user),
        "resume": lambda: services.resume(ticket, actor=user),
        "resolve": lambda: services.resolve(
            ticket, cause=d["cause"], fix=d["fix"], prevention=d["prevention"],
            note=d["note"], actor=user),
        "callback": lambda: services.record_callback(
            ticket, satisfied=d["satisfied"], score=d["score"], note=d["note"], actor=user),
    }  # fmt: skip
    if verb in calls:
        return calls[verb]()
    return services.move(ticket, verb, actor=user, note=d.get("note", ""))


_NO_FORM = {"respond", "remote_connected", "resume"}


@login_required
@require_POST
def act(request, pk: int, verb: str):
    """POST one action of the ticket page. Refused: the page again, with what was typed and
    the error at its field (or at the top); 403 when the user may not."""
    ticket = _ticket(request, pk)
    if verb in ("action_done", "action_waive"):
        return _emergency_action(request, ticket, verb)
    forms = _forms(ticket, request.POST, verb)
    if verb in _NO_FORM:
        form = NoteForm({}, prefix=verb)
    elif verb in forms:
        form = forms[verb]
    else:
        raise Http404(_("没有这个操作。"))
    error = None
    if form.is_valid():
        try:
            _call(verb, ticket, form, request.user)
        except DomainError as refused:
            _refuse(form, refused)
            error = refused
        else:
            messages.success(request, _("已保存。"))
            return redirect("tickets:detail", pk=pk)
    ticket = _ticket(request, pk)
    forms[verb] = form
    return _page(request, ticket, forms, error=error, status=400)


def _emergency_action(request, ticket, verb: str):
    post = request.POST
    try:
        if verb == "action_done":
            escalations.complete_action(
                ticket, post.get("code", ""), actor=request.user, note=post.get("note", "")
            )
        else:
            escalations.waive_action(
                ticket, post.get("code", ""), actor=request.user, reason=post.get("reason", "")
            )
    except DomainError as refused:
        if refused.status == 403:
            raise PermissionRefused(refused.message, capability="") from refused
        context_forms = _forms(ticket)
        return _page(request, ticket, context_forms, error=refused, status=400)
    messages.success(request, _("已保存。"))
    return redirect("tickets:detail", pk=ticket.pk)

"""The stock with its ledger (receive, move a part) and the part-type catalog with its prices.

Receiving and moving parts are the spare keeper's; the catalog and its prices are
configuration (an administrator's). The services check; a refused form keeps what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import concurrency, permissions
from weibao.core.errors import DomainError
from weibao.spares import forms, selectors
from weibao.spares.models import PartType, SparePart, StockMovement
from weibao.spares.services import catalog, inventory
from weibao.spares.views.common import refused_status, show_error, staff_only


def _render_stock(request, *, receive_form=None, move_form=None, status=200):
    user = request.user
    parts = SparePart.objects.visible_to(user).select_related("part_type", "pool", "location")
    if q := request.GET.get("q", "").strip():
        parts = parts.filter(serial_number__icontains=q) | parts.filter(
            part_type__part_number__icontains=q
        )
    context = {
        "pools": selectors.stock_per_pool(user),
        "parts": parts.order_by("part_type", "serial_number")[:300],
        "movements": StockMovement.objects.visible_to(user).select_related(
            "part_type", "part", "from_location", "to_location", "actor"
        )[:100],
        "receive_form": receive_form or forms.ReceiveForm(user=user),
        "move_form": move_form or forms.MoveForm(user=user),
        "q": q,
    }
    return render(request, "spares/stock.html", context, status=status)


@login_required
def stock(request):
    staff_only(request.user)
    return _render_stock(request)


@login_required
@require_POST
def stock_receive(request):
    staff_only(request.user)
    permissions.require(request.user, Capability.SPARES_OPERATE)  # before reading the form
    form = forms.ReceiveForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            inventory.receive_part(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = refused_status(error)
            show_error(form, error)
            return _render_stock(request, receive_form=form, status=status)
        messages.success(request, _("已入库。"))
        return redirect("spares:stock")
    return _render_stock(request, receive_form=form)


@login_required
@require_POST
def stock_move(request):
    staff_only(request.user)
    permissions.require(request.user, Capability.SPARES_OPERATE)  # before reading the form
    form = forms.MoveForm(request.POST, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            inventory.move_part(data.pop("part"), actor=request.user, **data)
        except DomainError as error:
            status = refused_status(error)
            show_error(form, error)
            return _render_stock(request, move_form=form, status=status)
        messages.success(request, _("已保存。"))
        return redirect("spares:stock")
    return _render_stock(request, move_form=form)


@login_required
def part_types(request):
    """The catalog: everyone of the provider reads it; an administrator edits it."""
    staff_only(request.user)
    context = {
        "part_types": PartType.objects.select_related("category"),
        "can_edit": permissions.can(request.user, Capability.CONFIG_EDIT),
    }
    return render(request, "spares/part_types.html", context)


@login_required
def part_type_edit(request, pk: int | None = None):
    """Add or change a part type (its catalog price included): `config.edit`."""
    staff_only(request.user)
    part_type = get_object_or_404(PartType, pk=pk) if pk else None
    permissions.require(request.user, Capability.CONFIG_EDIT)  # before showing the form
    form = forms.PartTypeForm(request.POST or None, instance=part_type)
    status = 200
    stale = {}
    if request.method == "POST" and form.is_valid():
        try:
            concurrency.save_if_current(
                part_type,
                concurrency.posted_version(request),
                lambda: catalog.save_part_type(part_type, actor=request.user, **form.cleaned_data),
            )
        except concurrency.StaleObject as error:
            status = 409
            stale = concurrency.stale_form_context(form, error)
        except DomainError as error:
            status = refused_status(error)
            show_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("spares:part_types")
    version = concurrency.form_version(request, part_type)
    context = {"form": form, "part_type": part_type, "version": version, **stale}
    return render(request, "spares/part_type_form.html", context, status=status)


@login_required
@require_POST
def part_type_delete(request, pk: int):
    """Remove an unused part type: `config.edit` (the service refuses one in use)."""
    staff_only(request.user)
    part_type = get_object_or_404(PartType, pk=pk)
    try:
        catalog.delete_part_type(part_type, actor=request.user)
    except DomainError as error:
        status = refused_status(error)
        form = forms.PartTypeForm(instance=part_type)
        form.add_error(None, error.message)
        context = {"form": form, "part_type": part_type}
        return render(request, "spares/part_type_form.html", context, status=status)
    messages.success(request, _("已删除。"))
    return redirect("spares:part_types")

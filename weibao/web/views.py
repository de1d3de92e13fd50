"""Pages of the web shell. Each view reads through scoped querysets, so a customer user
gets 404 for another customer's object exactly as for one that does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from weibao.assets.models import Asset, AssetCategory
from weibao.catalog.models import Plan, ServiceCategory
from weibao.contracts.models import Contract
from weibao.contracts.policy import RESPONSE_CLOCKS, RESPONSE_TABLES, TERM_LABELS, LevelKey
from weibao.core import clock
from weibao.core.models import ChangeLog
from weibao.core.selectors import archive_for_asset, archive_for_site, history_for
from weibao.repairs.selectors import asset_hardware
from weibao.sites.models import Site, SiteKind
from weibao.tenancy.models import Customer

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _list(request, template: str, context: dict):
    """Full page, or only the table when htmx asks (filter form, pagination)."""
    if request.htmx:
        template = template.replace(".html", "_table.html")
    return render(request, template, context)


@login_required
def home(request):
    user = request.user
    customers = Customer.objects.visible_to(user)
    contracts = Contract.objects.visible_to(user)
    today = clock.today()
    context = {
        "customer_count": customers.count(),
        "site_count": Site.objects.visible_to(user).count(),
        "asset_count": Asset.objects.visible_to(user).count(),
        "active_contracts": contracts.filter(start_date__lte=today, end_date__gte=today)
        .select_related("customer", "plan")
        .order_by("end_date")[:10],
        "recent": _visible_changes(user)[:15],
    }
    return render(request, "web/home.html", context)


def _visible_changes(user):
    changes = ChangeLog.objects.select_related("actor", "content_type")
    if user.customer_id:
        return changes.filter(customer_id=user.customer_id)
    if user.is_superuser:
        return changes
    return changes.filter(Q(customer__provider_id=user.provider_id) | Q(customer__isnull=True))


@login_required
def customer_list(request):
    customers = (
        Customer.objects.visible_to(request.user)
        .annotate(site_count=Count("sites", distinct=True))
        .order_by("name")
    )
    if q := request.GET.get("q", "").strip():
        customers = customers.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return _list(request, "web/customer_list.html", {"page": _page(request, customers), "q": q})


@login_required
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    context = {
        "customer": customer,
        "contacts": customer.contacts.all(),
        "sites": customer.sites.select_related("service_point").order_by("kind", "code"),
        "contracts": customer.contracts.select_related("plan"),
        "history": history_for(customer),
    }
    return render(request, "web/customer_detail.html", context)


@login_required
def site_list(request):
    sites = Site.objects.visible_to(request.user).select_related("customer", "service_point")
    sites = sites.annotate(asset_count=Count("assets")).order_by("customer__name", "kind", "code")
    kind = request.GET.get("kind", "")
    if kind:
        sites = sites.filter(kind=kind)
    if q := request.GET.get("q", "").strip():
        sites = sites.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(address__icontains=q))
    context = {"page": _page(request, sites), "q": q, "kind": kind, "kinds": SiteKind.choices}
    return _list(request, "web/site_list.html", context)


@login_required
def site_detail(request, pk: int):
    site = get_object_or_404(
        Site.objects.visible_to(request.user).select_related("customer", "service_point", "parent"),
        pk=pk,
    )
    context = {
        "site": site,
        "assets": site.assets.select_related("category").order_by("category__order", "name"),
        "contracts": site.contracts.select_related("plan"),
        "children": site.children.order_by("code"),
        "archive": archive_for_site(site),
    }
    return render(request, "web/site_detail.html", context)


@login_required
def asset_list(request):
    assets = Asset.objects.visible_to(request.user).select_related("category", "site", "customer")
    category = request.GET.get("category", "")
    if category:
        assets = assets.filter(category__code=category)
    if q := request.GET.get("q", "").strip():
        assets = assets.filter(
            Q(name__icontains=q) | Q(serial_number__icontains=q) | Q(model__icontains=q)
        )
    context = {
        "page": _page(request, assets),
        "q": q,
        "category": category,
        "categories": AssetCategory.objects.all(),
    }
    return _list(request, "web/asset_list.html", context)


@login_required
def asset_detail(request, pk: int):
    asset = get_object_or_404(
        Asset.objects.visible_to(request.user).select_related("category", "site", "customer"),
        pk=pk,
    )
    today = clock.today()
    contracts = asset.contracts.select_related("plan")
    covered = contracts.filter(start_date__lte=today, end_date__gte=today).exists()
    context = {
        "hardware": asset_hardware(asset, request.user),
        "asset": asset,
        "contracts": contracts,
        "covered": covered,
        "archive": archive_for_asset(asset),
    }
    return render(request, "web/asset_detail.html", context)


@login_required
def contract_list(request):
    contracts = Contract.objects.visible_to(request.user).select_related("customer", "plan")
    return _list(request, "web/contract_list.html", {"page": _page(request, contracts)})


@login_required
def contract_detail(request, pk: int):
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("customer", "plan", "policy"),
        pk=pk,
    )
    policy = contract.policy.snapshot() if hasattr(contract, "policy") else None
    context = {
        "contract": contract,
        "policy": policy,
        "response_rows": _response_rows(policy) if policy else [],
        "clock_labels": RESPONSE_TABLES.items(),
        "terms": [(TERM_LABELS[k], v) for k, v in policy.terms.items()] if policy else [],
        "entitlements": contract.plan.entitlements.select_related("item"),
        "usages": contract.usages.select_related("entitlement"),
        "sites": contract.sites.order_by("kind", "code"),
        "asset_count": contract.assets.count(),
        "history": history_for(contract),
    }
    return render(request, "web/contract_detail.html", context)


def _response_rows(policy):
    """表 11–13 side by side: one row per level, one column per clock."""
    rows = []
    for level, label in LevelKey.choices:
        cells = [policy.response.get(kind, {}).get(level) for kind in RESPONSE_CLOCKS]
        if any(c is not None for c in cells):
            rows.append({"label": label, "cells": cells})
    return rows


@login_required
def plan_list(request):
    context = {
        "categories": ServiceCategory.objects.prefetch_related("items"),
        "plans": Plan.objects.prefetch_related("entitlements__item"),
    }
    return render(request, "web/plan_list.html", context)

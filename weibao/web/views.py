"""Pages of the web shell. Each view reads through scoped querysets, so a customer user
gets 404 for another customer's object exactly as for one that does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from weibao.assets import columns as asset_columns
from weibao.assets.models import Asset, AssetCategory
from weibao.catalog.models import Plan, ServiceCategory
from weibao.contracts import columns as contract_columns
from weibao.contracts.models import Contract
from weibao.contracts.policy import RESPONSE_CLOCKS, RESPONSE_TABLES, TERM_LABELS, LevelKey
from weibao.core import clock
from weibao.core.listing import Listing
from weibao.core.selectors import archive_for_asset, archive_for_site, history_for
from weibao.repairs.selectors import asset_hardware
from weibao.sites import columns as site_columns
from weibao.sites.models import Site, SiteKind
from weibao.tenancy import columns as customer_columns
from weibao.tenancy.models import Customer
from weibao.web import homes
from weibao.web.imports import importable_kinds


def _listing_context(listing: Listing, *import_kinds: str) -> dict:
    """What every list template reads: the rows of this page, the headers, the total, and
    the kinds of master data this user may import from this page."""
    user = listing.request.user
    return {
        "listing": listing,
        "page": listing.page,
        "imports": importable_kinds(user, *import_kinds),
    }


def _list(request, template: str, context: dict):
    """Full page, or only the table when htmx asks (filter form, pagination)."""
    if request.htmx:
        template = template.replace(".html", "_table.html")
    return render(request, template, context)


@login_required
def home(request):
    """The user's work ("my work"): the sections of each of their roles (`web.homes`)."""
    now = clock.now()
    context = {"sections": homes.sections_for(request.user, now=now), "now": now}
    return render(request, "web/home.html", context)


@login_required
def customer_list(request):
    customers = Customer.objects.visible_to(request.user).annotate(
        site_count=Count("sites", distinct=True)
    )
    listing = Listing(
        request,
        customers,
        columns=customer_columns.CUSTOMER_COLUMNS,
        default_sort="name",
        search_fields=("name", "code"),
        export_name="customers",
    )
    if listing.wants_export:
        return listing.export()
    context = {**_listing_context(listing, "customers", "contacts"), "q": listing.q}
    return _list(request, "web/customer_list.html", context)


@login_required
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    context = {
        "customer": customer,
        "contacts": customer.contacts.all(),
        "sites": customer.sites.select_related("service_point").order_by("kind", "code"),
        "contracts": customer.contracts.select_related("plan"),
        "history": history_for(customer, reader=request.user),
    }
    return render(request, "web/customer_detail.html", context)


@login_required
def site_list(request):
    sites = Site.objects.visible_to(request.user).select_related("customer", "service_point")
    sites = sites.annotate(asset_count=Count("assets"))
    kind = request.GET.get("kind", "")
    if kind:
        sites = sites.filter(kind=kind)
    listing = Listing(
        request,
        sites,
        columns=site_columns.site_columns(request.user),
        default_sort="kind" if request.user.customer_id else "customer",
        search_fields=("name", "code", "address"),
        export_name="sites",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        **_listing_context(listing, "sites"),
        "q": listing.q,
        "kind": kind,
        "kinds": SiteKind.choices,
    }
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
        "archive": archive_for_site(site, reader=request.user),
    }
    return render(request, "web/site_detail.html", context)


@login_required
def asset_list(request):
    assets = Asset.objects.visible_to(request.user).select_related("category", "site", "customer")
    category = request.GET.get("category", "")
    if category:
        assets = assets.filter(category__code=category)
    listing = Listing(
        request,
        assets,
        columns=asset_columns.ASSET_COLUMNS,
        default_sort="site",
        search_fields=("name", "serial_number", "model"),
        export_name="assets",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        **_listing_context(listing, "assets"),
        "q": listing.q,
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
        "archive": archive_for_asset(asset, reader=request.user),
    }
    return render(request, "web/asset_detail.html", context)


@login_required
def contract_list(request):
    contracts = Contract.objects.visible_to(request.user).select_related("customer", "plan")
    listing = Listing(
        request,
        contracts,
        columns=contract_columns.CONTRACT_COLUMNS,
        default_sort="-start",
        search_fields=("number", "title", "customer__name"),
        export_name="contracts",
    )
    if listing.wants_export:
        return listing.export()
    context = {**_listing_context(listing), "q": listing.q}
    return _list(request, "web/contract_list.html", context)


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
        "history": history_for(contract, reader=request.user),
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

"""Software versions and patches per asset (OTH-1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core.errors import DomainError
from weibao.library import selectors, services
from weibao.library.forms import SoftwareChangeForm
from weibao.library.views import add_error, needs_any


@login_required
def change_list(request):
    asset_id = request.GET.get("asset", "")
    changes = selectors.software_changes_for(
        request.user, asset_id=int(asset_id) if asset_id.isdigit() else None
    )
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(request, "library/change_list.html", {"page": page, "asset_id": asset_id})


@needs_any(Capability.MASTER_EDIT, Capability.VISIT_WORK)
def change_new(request):
    initial = {"asset": request.GET.get("asset")} if request.GET.get("asset") else None
    form = SoftwareChangeForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            change = services.apply_software_change(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = add_error(form, error)
        else:
            messages.success(request, _("版本变更已记录。"))
            return redirect(f"{reverse('library:versions')}?asset={change.asset_id}")
    return render(request, "library/change_form.html", {"form": form}, status=status)

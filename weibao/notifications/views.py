"""Pages: a user's notification preferences, and the outbox for provider staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.notifications import columns, selectors, services
from weibao.notifications.forms import OutboxFilterForm, PreferencesForm


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=user)
        if form.is_valid():
            services.set_preferences(user, actor=user, **form.cleaned_data)
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    else:
        current = selectors.preferences_of(user)
        form = PreferencesForm(
            user=user,
            initial={
                "email_enabled": current["email"]["enabled"],
                "email_address": current["email"]["address"],
                "sms_enabled": current["sms"]["enabled"],
                "sms_address": current["sms"]["address"],
            },
        )
    context = {"form": form, "sms_available": selectors.sms_gateway_available(user.customer_id)}
    return render(request, "notifications/preferences.html", context)


def _require_staff(user) -> None:
    if not selectors.is_provider_staff(user):
        raise PermissionDenied(_("只有服务商员工可以查看发件箱。"))


@login_required
def outbox(request):
    """The outbox for provider staff: filtered by state, searched by subject, address,
    reference or customer, sorted by a header, paged with its total, exported to Excel."""
    _require_staff(request.user)
    form = OutboxFilterForm(request.GET or None)
    rows = selectors.outbox_for(request.user)
    state = ""
    if form.is_valid() and (state := form.cleaned_data["state"]):
        rows = rows.filter(state=state)
    listing = Listing(
        request,
        rows,
        columns=(*columns.OUTBOX_COLUMNS, columns.RETRY_COLUMN),
        export_columns=columns.OUTBOX_COLUMNS,
        default_sort="-created",
        search_fields=("subject", "address", "ref_id", "customer__name"),
        export_name="outbox",
    )
    if listing.wants_export:
        return listing.export()
    context = {"listing": listing, "page": listing.page, "form": form, "state": state}
    return render(request, "notifications/outbox.html", context)


@login_required
@require_POST
def retry(request, pk: int):
    _require_staff(request.user)
    notification = get_object_or_404(selectors.outbox_for(request.user), pk=pk)
    try:
        services.retry_now(notification, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("通知已重新排队，稍后发送。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("notifications:outbox")
    return redirect(back)

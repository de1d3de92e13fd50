"""Pages of the Excel import of master data: the template, the upload, the preview and the
confirm. The flow itself is `weibao.core.imports`; the kinds are composed here from the apps
that own them. Only holders of `master.import` see or use it (403 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from weibao.accounts.capabilities import Capability
from weibao.assets.imports import AssetResource
from weibao.core import imports, permissions
from weibao.core.errors import DomainError
from weibao.core.listing import XLSX_CONTENT_TYPE
from weibao.sites.imports import SiteResource
from weibao.tenancy.imports import ContactResource, CustomerResource

KINDS = {
    kind.key: kind
    for kind in (
        imports.ImportKind("customers", gettext_lazy("客户"), CustomerResource),
        imports.ImportKind("contacts", gettext_lazy("联系人"), ContactResource),
        imports.ImportKind("sites", gettext_lazy("机房"), SiteResource),
        imports.ImportKind("assets", gettext_lazy("设备"), AssetResource),
    )
}
# Where each kind is listed (the page a finished import returns to).
LIST_PAGES = {
    "customers": "web:customer_list",
    "contacts": "web:customer_list",
    "sites": "web:site_list",
    "assets": "web:asset_list",
}


def kind_of(key: str) -> imports.ImportKind:
    """The import kind named in a URL (404 for an unknown one)."""
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None


def importable_kinds(user, *keys: str) -> list[imports.ImportKind]:
    """The kinds among `keys` the user may import (none without `master.import`)."""
    if not permissions.can(user, Capability.MASTER_IMPORT):
        return []
    return [KINDS[key] for key in keys]


def _allowed(request, key: str) -> imports.ImportKind:
    kind = kind_of(key)
    permissions.require(request.user, Capability.MASTER_IMPORT)
    return kind


@login_required
def template(request, kind: str):
    """The .xlsx template of a kind: its headers and an example row."""
    chosen = _allowed(request, kind)
    response = HttpResponse(imports.template_xlsx(chosen), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="weibao-{chosen.key}-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    """Choose a file to import; a good file goes on to its preview."""
    chosen = _allowed(request, kind)
    error = ""
    if request.method == "POST":
        try:
            file = request.FILES.get("file")
            if file is None:
                raise DomainError(_("请选择要导入的 Excel 文件。"), field="file")
            token = imports.store(chosen, file, actor=request.user)
        except DomainError as refused:
            if refused.status == 403:
                raise
            error = refused.message
        else:
            return redirect("web:import_preview", kind=chosen.key, token=token)
    context = {
        "kind": chosen,
        "columns": [imports.header(c) for c in chosen.resource.columns()],
        "keys": [imports.header(c) for c in chosen.resource.key_columns()],
        "error": error,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "web/import_upload.html", context, status=400 if error else 200)


@login_required
def preview(request, kind: str, token: str):
    """Each row of the uploaded file as new, changed, unchanged or in error; nothing written."""
    chosen = _allowed(request, kind)
    try:
        report = imports.preview(chosen, token, actor=request.user)
    except DomainError as refused:
        if refused.status == 403:
            raise
        return _stale(request, chosen, refused)
    return render(request, "web/import_preview.html", {"kind": chosen, "report": report})


@login_required
@require_POST
def confirm(request, kind: str, token: str):
    """Write the previewed file, all rows or none."""
    chosen = _allowed(request, kind)
    try:
        report = imports.confirm(chosen, token, actor=request.user)
    except DomainError as refused:
        if refused.status == 403:
            raise
        return _stale(request, chosen, refused)
    if not report.written:
        context = {"kind": chosen, "report": report}
        return render(request, "web/import_preview.html", context, status=409)
    messages.success(
        request,
        _("已导入%(kind)s：新增 %(new)s 条，修改 %(changed)s 条，无变化 %(unchanged)s 条。")
        % {
            "kind": chosen.label,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
        },
    )
    return redirect(LIST_PAGES[chosen.key])


def _stale(request, kind, refused: DomainError):
    context = {
        "kind": kind,
        "columns": [imports.header(c) for c in kind.resource.columns()],
        "keys": [imports.header(c) for c in kind.resource.key_columns()],
        "error": refused.message,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "web/import_upload.html", context, status=410)

"""The document library (OTH-2): list, upload, access, and the checked download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import concurrency
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.library import columns, selectors, services
from weibao.library.choices import DocumentCategory
from weibao.library.forms import AccessForm, DocumentForm
from weibao.library.views import add_error, needs_any


@login_required
def document_list(request):
    """The library the user may read, filtered by category, searched by title, sorted by a
    header, paged with its total and exported to Excel as shown."""
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip()
    listing = Listing(
        request,
        selectors.documents_for(request.user, category=category, q=q),
        columns=columns.document_columns(request.user),
        default_sort="-updated",
        export_name="library",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "documents": listing.page,
        "categories": DocumentCategory.choices,
        "category": category,
        "q": q,
    }
    return render(request, "library/document_list.html", context)


@needs_any(Capability.MASTER_EDIT)
def document_new(request):
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(
                title=data["title"], category=data["category"], file=data["file"],
                description=data["description"], version=data["version"],
                published=data["published"], audience=data["audience"],
                customers=data["customers"], actor=request.user,
            )  # fmt: skip
        except DomainError as error:
            status = add_error(form, error)
        else:
            messages.success(request, _("资料已上传。"))
            return redirect("library:documents")
    return render(request, "library/document_form.html", {"form": form}, status=status)


def _access_of(document) -> dict:
    return {"published": document.published, "audience": document.audience,
            "customers": list(document.customers.all())}  # fmt: skip


@needs_any(Capability.MASTER_EDIT)
def document_access(request, pk: int):
    """Who may read a document. The form carries the document's version (its readers
    included): a save from an older page is refused with "已被他人修改" and the other
    person's choice, keeping what was chosen."""
    document = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    form = AccessForm(request.POST or None, user=request.user, initial=_access_of(document))
    status, stale = 200, {}
    if request.method == "POST" and form.is_valid():
        try:
            concurrency.save_if_current(
                document,
                concurrency.posted_version(request),
                lambda: services.set_access(document, actor=request.user, **form.cleaned_data),
            )
        except concurrency.StaleObject as error:
            status = 409
            stale = concurrency.stale_form_context(form, error, stored=_access_of(error.current))
        except DomainError as error:
            status = add_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("library:documents")
    context = {"form": form, "document": document,
               "version": concurrency.form_version(request, document), **stale}  # fmt: skip
    return render(request, "library/document_access.html", context, status=status)


@login_required
def document_download(request, pk: int):
    """The only way to a library file: 404 unless the user may read the document."""
    document = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("文件不存在。")) from missing
    extension = document.filename.rsplit(".", 1)[-1] if "." in document.filename else ""
    filename = f"{document.title}.{extension}" if extension else document.filename
    return FileResponse(handle, as_attachment=True, filename=filename)

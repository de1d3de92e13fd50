"""Document screens: the list (for customers: 待我签字的文档), a document with its seal check
and PDF, editing while unsigned, and the signing page with the signature pad. Another
customer's document answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core import concurrency
from weibao.core.errors import DomainError, page_status
from weibao.core.listing import Listing
from weibao.documents import columns, integrity, kinds, selectors, services
from weibao.documents.choices import DocumentState
from weibao.documents.forms import DocumentDataForm, SignatureForm
from weibao.documents.models import SignedDocument


def _document(request, pk: int) -> SignedDocument:
    return get_object_or_404(
        SignedDocument.objects.visible_to(request.user).select_related(
            "customer", "site", "asset", "ticket", "created_by", "signed_by"
        ),
        pk=pk,
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _staff_only(request) -> None:
    if request.user.customer_id:
        raise PermissionDenied


@login_required
def document_list(request):
    """The documents the user may see (a customer: those awaiting their signature unless
    they choose a state), filtered by state and kind, searched by title, customer or site,
    sorted by a header, paged with their total and exported to Excel as shown."""
    documents = selectors.visible_documents(request.user)
    state = request.GET.get("state", "")
    if request.user.customer_id and "state" not in request.GET:
        state = DocumentState.AWAITING_SIGNATURE
    if state:
        documents = documents.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind:
        documents = documents.filter(kind=kind)
    listing = Listing(
        request,
        documents,
        columns=columns.DOCUMENT_COLUMNS,
        export_columns=columns.EXPORT_COLUMNS,
        default_sort="-created",
        search_fields=("title", "customer__name", "site__name"),
        export_name="documents",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "documents": listing.page,
        "q": listing.q,
        "state": state,
        "kind": kind,
        "states": DocumentState.choices,
        "kinds": kinds.choices(),
        "awaiting_count": selectors.awaiting_signature(request.user).count(),
    }
    return render(request, "documents/list.html", context)


def _render_detail(request, doc, *, error=None, status: int = 200, **extra):
    definition = doc.definition
    context = {
        "doc": doc,
        "rows": definition.rows(doc.data) if definition else [],
        "next": _next(request, ""),
        "valid": None,
        "error": error,
        **extra,
    }
    return render(request, "documents/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _render_detail(request, _document(request, pk))


@login_required
@require_POST
def refuse_signature(request, pk: int):
    """Provider staff record that the customer refused to sign, with the reason."""
    _staff_only(request)
    doc = _document(request, pk)
    reason = request.POST.get("reason", "")
    try:
        services.record_signature_refused(doc, reason=reason, actor=request.user)
    except DomainError as error:
        return _render_detail(request, _document(request, pk), error=error,
                              status=error.status, refused_reason=reason)  # fmt: skip
    messages.success(request, _("已记录客户拒签。"))
    return redirect(_next(request, doc.get_absolute_url()))


@login_required
def verify(request, pk: int):
    doc = _document(request, pk)
    context = {"doc": doc, "valid": services.verify_document(doc)}
    if request.htmx:
        return render(request, "documents/_verify.html", context)
    definition = doc.definition
    context["rows"] = definition.rows(doc.data) if definition else []
    context["next"] = _next(request, "")
    return render(request, "documents/detail.html", context)


@login_required
def pdf(request, pk: int):
    doc = _document(request, pk)
    try:
        content = services.document_pdf(doc)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("documents:detail", pk=pk)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{doc.number}-{doc.kind_label}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
def edit(request, pk: int):
    _staff_only(request)
    doc = _document(request, pk)
    if doc.is_signed:
        messages.error(request, _("文档已签字，不能再修改。"))
        return redirect("documents:detail", pk=pk)
    definition = doc.definition
    form = DocumentDataForm(
        request.POST or None, kind=definition, initial=DocumentDataForm.initial_from(doc)
    )
    status, stale = 200, {}
    if request.method == "POST" and form.is_valid():
        try:
            concurrency.save_if_current(
                doc,
                concurrency.posted_version(request),
                lambda: services.update_document(
                    doc,
                    data={**doc.data, **form.data_values()},
                    title=form.cleaned_data["title"],
                    actor=request.user,
                ),
            )
        except concurrency.StaleObject as error:
            status = 409
            stored = DocumentDataForm.initial_from(error.current)
            stale = concurrency.stale_form_context(form, error, stored=stored)
        except services.DocumentInvalid as error:
            status = error.status
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as error:
            status = error.status
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_next(request, doc.get_absolute_url()))
    context = {"doc": doc, "form": form, "kind": definition, "next": _next(request, "")}
    context.update({"version": concurrency.form_version(request, doc), **stale})
    return render(request, "documents/edit.html", context, status=status)


@login_required
@require_POST
def request_signature(request, pk: int):
    _staff_only(request)
    doc = _document(request, pk)
    try:
        services.request_signature(doc, actor=request.user)
    except DomainError as error:
        return _render_detail(request, doc, error=error, status=error.status)
    messages.success(request, _("已通知客户签字。"))
    return redirect(_next(request, doc.get_absolute_url()))


@login_required
def sign(request, pk: int):
    """The signing page: the document to read, who signs, and the signature pad. Used by the
    customer in the portal and by the engineer who hands the phone to the customer."""
    doc = _document(request, pk)
    if doc.is_signed:
        messages.info(request, _("文档已签字。"))
        return redirect(_next(request, doc.get_absolute_url()))
    definition = doc.definition
    initial = {"digest": integrity.data_digest(doc.data)}
    if request.user.customer_id:
        initial["signer_name"] = request.user.get_full_name()
    form = SignatureForm(request.POST or None, kind=definition, initial=initial)
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = page_status(request)
    elif request.method == "POST":
        try:
            services.sign_document(
                doc,
                signer_name=form.cleaned_data["signer_name"],
                signer_role=form.cleaned_data["signer_role"],
                signature=form.cleaned_data["signature"],
                data_digest=form.cleaned_data["digest"] or None,
                actor=request.user,
            )
        except DomainError as error:
            status = page_status(request, error)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("签字完成。"))
            return redirect(_next(request, doc.get_absolute_url()))
    context = {
        "doc": doc,
        "rows": definition.rows(doc.data),
        "form": form,
        "next": _next(request, ""),
    }
    return render(request, "documents/sign.html", context, status=status)

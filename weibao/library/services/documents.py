"""Adding documents to the library and deciding who may read them (OTH-2)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require
from weibao.library.choices import Audience, DocumentCategory, LibraryEvent
from weibao.library.models import LibraryDocument

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


@transaction.atomic
def add_document(
    *,
    title: str,
    category: str,
    file,
    description: str = "",
    version: str = "",
    published: bool = False,
    audience: str = Audience.ALL,
    customers=(),
    actor,
) -> LibraryDocument:
    """Store an uploaded file (under MEDIA_ROOT/library/) as a library document
    (`master.edit`)."""
    require(actor, Capability.MASTER_EDIT)
    if not title.strip():
        raise DomainError(_("请填写标题。"), field="title")
    if category not in DocumentCategory.values:
        raise DomainError(_("无效的分类。"), field="category")
    if file is None or not getattr(file, "name", ""):
        raise DomainError(_("请选择文件。"), field="file")
    if getattr(file, "size", 0) > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件不能超过 100 MB。"), field="file")
    customers = list(customers)
    _check_access(audience, customers)
    document = LibraryDocument(
        title=title.strip(),
        category=category,
        description=description.strip(),
        version=version.strip(),
        uploaded_by=actor,
        published=False,
        audience=Audience.ALL,
    )
    document.file.save(file.name, file, save=False)
    document.save()
    record_event(
        document,
        kind=LibraryEvent.FILE,
        actor=actor,
        message=event_text("上传文件 %(name)s", name=document.filename),
        data={"file": document.file.name},
    )
    set_access(document, published=published, audience=audience, customers=customers, actor=actor)
    return document


@transaction.atomic
def set_access(
    document: LibraryDocument, *, published: bool, audience: str, customers=(), actor
) -> LibraryDocument:
    """Publish or withdraw a document and choose its readers: all customers, or the listed
    ones (at least one). `master.edit`."""
    require(actor, Capability.MASTER_EDIT)
    customers = list(customers)
    _check_access(audience, customers)
    document.published = published
    document.audience = audience
    document.save(update_fields=["published", "audience"])
    document.customers.set(customers if audience == Audience.SELECTED else [])
    state = event_text("已发布") if published else event_text("未发布")
    scope = event_text("所有客户") if audience == Audience.ALL else [str(c) for c in customers]
    record_event(
        document,
        kind=LibraryEvent.ACCESS,
        actor=actor,
        message=event_text("%(state)s；可见范围：%(scope)s", state=state, scope=scope),
    )
    return document


def _check_access(audience: str, customers: list) -> None:
    if audience not in Audience.values:
        raise DomainError(_("无效的可见范围。"), field="audience")
    if audience == Audience.SELECTED and not customers:
        raise DomainError(
            _("可见范围为“指定客户”时请至少选择一个客户。"), code="no_customers", field="customers"
        )

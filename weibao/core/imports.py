"""Excel import of master data: template, upload, preview, confirm (issue 12 #6).

The rows are read and written by django-import-export (`ModelResource` over a tablib
`Dataset`): each app describes its columns in a resource (`tenancy.imports`,
`sites.imports`, `assets.imports`); this module holds what every import shares.

The flow, the same through the web and the API:

1. `template_xlsx(kind)` — a workbook with the column headers and one example row.
2. `store(kind, upload, actor=)` — the upload is size- and content-checked
   (`core.uploads`) and kept under `VAR_DIR/imports/` with who uploaded it and its SHA-256;
   the answer is a token.
3. `preview(kind, token, actor=)` — every row is imported inside a transaction that is
   rolled back (django-import-export's dry run): each row is new, changed, unchanged or in
   error ("第 3 行：编号：…"), through the models' own validation (`full_clean`); nothing is
   written. The rows' outcomes are remembered with the file.
4. `confirm(kind, token, actor=)` — the same file is imported for real in one transaction;
   when a row fails, or the outcome differs from what the preview showed (someone changed
   the data in between), the transaction is rolled back and nothing is written. Every row
   written is recorded in the change log by the models' audit, attributed to the actor. The
   stored file is then removed, so a confirm cannot run twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.results import RowResult
from openpyxl import Workbook
from openpyxl.styles import Font

from weibao.core import clock, permissions, spreadsheet, uploads
from weibao.core.audit import acting_as
from weibao.core.errors import DomainError

MAX_BYTES = 5 * uploads.MB
MAX_ROWS = 5000
KEEP_FOR = dt.timedelta(hours=24)
# `accounts.Capability.MASTER_IMPORT` (core names no app; a test checks they agree).
CAPABILITY = "master.import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("新增"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("修改"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("无变化"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("错误"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("错误"),
}


class MasterResource(resources.ModelResource):
    """The shared behaviour of every master-data import: the rows the actor may see, the
    models' validation (`full_clean`), unchanged rows reported, row outcomes kept."""

    example: dict[str, Any] = {}

    def __init__(self, *, actor):
        super().__init__()
        self.actor = actor

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        use_transactions = True

    def may_import_for(self, customer_id: int | None) -> bool:
        """Whether the actor may import rows of this customer (the account manager's own)."""
        return permissions.can(self.actor, CAPABILITY, customer_id=customer_id)

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(self.actor)
        return queryset

    def get_instance(self, instance_loader, row):
        # A key cell that cannot be read makes a new row, whose import reports the error
        # on the column (rather than an error without a column).
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def import_row(self, row, instance_loader, **kwargs):
        if all(value is None or str(value).strip() == "" for value in row.values()):
            result = RowResult()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            result.blank = True
            return result
        return super().import_row(row, instance_loader, **kwargs)

    @classmethod
    def columns(cls) -> list[str]:
        """The headers of the file, in order (the canonical, Chinese ones)."""
        return [f.column_name for f in cls.fields.values() if f.column_name]

    @classmethod
    def key_columns(cls) -> list[str]:
        return [cls.fields[name].column_name for name in cls._meta.import_id_fields]


@dataclass(frozen=True)
class ImportKind:
    """One kind of master data that can be imported."""

    key: str
    label: Any
    resource: type[MasterResource]


@dataclass
class RowReport:
    """One row of the file as the preview shows it."""

    number: int  # the row in the spreadsheet (the header is row 1)
    status: str  # RowResult.IMPORT_TYPE_*
    values: list[Any]
    messages: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_error(self) -> bool:
        return self.status in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR)


@dataclass
class Report:
    """The outcome of a preview or a confirm."""

    kind: ImportKind
    token: str
    columns: list[str]
    rows: list[RowReport]
    errors: list[str] = field(default_factory=list)  # about the whole file
    written: bool = False

    def count(self, *statuses: str) -> int:
        return sum(1 for row in self.rows if row.status in statuses)

    @property
    def new(self) -> int:
        return self.count(RowResult.IMPORT_TYPE_NEW)

    @property
    def changed(self) -> int:
        return self.count(RowResult.IMPORT_TYPE_UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(RowResult.IMPORT_TYPE_SKIP)

    @property
    def invalid(self) -> int:
        return self.count(RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.invalid

    @property
    def messages(self) -> list[str]:
        return [*self.errors, *(m for row in self.rows for m in row.messages)]


# The template


def template_xlsx(kind: ImportKind) -> bytes:
    """A workbook with the headers of `kind` and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    columns = kind.resource.columns()
    spreadsheet.append(sheet, [header(column) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    spreadsheet.append(sheet, [kind.resource.example.get(column) for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, 2 * len(header(column)) + 2
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header(column: str) -> str:
    """A column's header in the reader's language (the Chinese header is the canonical)."""
    return _(column)


def _canonical_headers(headers: list[Any], columns: list[str]) -> list[str]:
    """The file's headers with English (or other translated) ones mapped to the canonical."""
    known = {}
    for column in columns:
        known[column] = column
        for language in ("en", translation.get_language() or "zh-hans"):
            with translation.override(language):
                known[_(column)] = column
    return [known.get(str(h or "").strip().rstrip("*").strip(), str(h or "")) for h in headers]


# The stored upload


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(kind: ImportKind, upload, *, actor) -> str:
    """Keep an uploaded .xlsx for its preview and confirm; the token names it."""
    permissions.require(actor, CAPABILITY)
    cleaned = uploads.check_file(upload, field="file", extensions=("xlsx",), max_bytes=MAX_BYTES)
    cleaned.seek(0)
    content = cleaned.read()
    _dataset(kind, content)  # refuse a file that cannot be read before keeping it
    token = secrets.token_urlsafe(18)
    folder = _folder()
    (folder / f"{token}.xlsx").write_bytes(content)
    meta = {
        "kind": kind.key,
        "user": actor.pk,
        "sha256": hashlib.sha256(content).hexdigest(),
        "stored_at": clock.now().isoformat(),
        "name": getattr(upload, "name", ""),
        "outcome": None,
    }
    (folder / f"{token}.json").write_text(json.dumps(meta))
    return token


def _stale() -> DomainError:
    return DomainError(
        _("导入文件已失效或不存在，请重新上传。"), code="import_stale", field="token"
    )


def _stored(kind: ImportKind, token: str, *, actor) -> tuple[bytes, dict]:
    permissions.require(actor, CAPABILITY)
    if not isinstance(token, str) or not TOKEN.match(token):
        raise _stale()
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        content = (folder / f"{token}.xlsx").read_bytes()
    except (OSError, ValueError):
        raise _stale() from None
    stored_at = dt.datetime.fromisoformat(meta["stored_at"])
    if (
        meta.get("kind") != kind.key
        or meta.get("user") != actor.pk
        or hashlib.sha256(content).hexdigest() != meta.get("sha256")
        or clock.now() - stored_at > KEEP_FOR
    ):
        raise _stale()
    return content, meta


def _forget(token: str) -> None:
    for suffix in ("xlsx", "json"):
        (_folder() / f"{token}.{suffix}").unlink(missing_ok=True)


def _dataset(kind: ImportKind, content: bytes) -> tablib.Dataset:
    try:
        dataset = tablib.Dataset().load(content, format="xlsx")
    except Exception:  # a damaged or foreign workbook: openpyxl raises many kinds
        raise DomainError(
            _("无法读取该 Excel 文件，请使用下载的模板（.xlsx）。"),
            code="import_unreadable",
            field="file",
        ) from None
    columns = kind.resource.columns()
    headers = _canonical_headers(list(dataset.headers or []), columns)
    missing = [header(c) for c in kind.resource.key_columns() if c not in headers]
    if missing:
        raise DomainError(
            _("缺少列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)},
            code="import_columns",
            field="file",
        )
    if dataset.height > MAX_ROWS:
        raise DomainError(
            _("一次最多导入 %(limit)s 行，该文件有 %(rows)s 行。")
            % {"limit": MAX_ROWS, "rows": dataset.height},
            code="import_too_large",
            field="file",
        )
    dataset.headers = headers
    return dataset


# Preview and confirm


def preview(kind: ImportKind, token: str, *, actor) -> Report:
    """What importing the stored file would do, row by row; nothing is written."""
    content, meta = _stored(kind, token, actor=actor)
    report = _run(kind, token, content, actor=actor, dry_run=True)
    meta["outcome"] = _outcome(report)
    (_folder() / f"{token}.json").write_text(json.dumps(meta))
    return report


def confirm(kind: ImportKind, token: str, *, actor) -> Report:
    """Import the stored file as previewed, all rows in one transaction, or nothing."""
    content, meta = _stored(kind, token, actor=actor)
    if meta.get("outcome") is None:
        raise DomainError(_("请先预览再确认导入。"), code="import_not_previewed", field="token")
    with transaction.atomic():
        report = _run(kind, token, content, actor=actor, dry_run=False)
        if report.ok and _outcome(report) != meta["outcome"]:
            report.errors.append(_("预览之后数据已有变化，未写入任何数据，请重新预览后再确认。"))
        if not report.ok:
            transaction.set_rollback(True)
            report.written = False
            return report
    _forget(token)
    return report


def _outcome(report: Report) -> list:
    return [[row.number, row.status] for row in report.rows]


def _run(kind: ImportKind, token: str, content: bytes, *, actor, dry_run: bool) -> Report:
    dataset = _dataset(kind, content)
    resource = kind.resource(actor=actor)
    with acting_as(actor):
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
    labels = {f.attribute: header(f.column_name) for f in resource.get_import_fields()}
    columns = kind.resource.columns()
    rows = []
    for index, (row_result, values) in enumerate(zip(result.rows, dataset, strict=True), 1):
        if getattr(row_result, "blank", False):
            continue
        number = index + 1
        report_row = RowReport(
            number=number,
            status=row_result.import_type,
            values=[_value(dataset, values, column) for column in columns],
        )
        if row_result.validation_error is not None:
            report_row.messages = _messages(number, row_result.validation_error, labels)
        for error in row_result.errors:
            report_row.messages.append(
                _("第 %(row)s 行：%(message)s") % {"row": number, "message": error.error}
            )
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            report_row.changed = _changed(resource, row_result)
        rows.append(report_row)
    errors = [str(error.error) for error in result.base_errors]
    report = Report(kind=kind, token=token, columns=[header(c) for c in columns], rows=rows)
    report.errors = errors
    report.written = not dry_run and report.ok
    return report


def _value(dataset: tablib.Dataset, values, column: str):
    return values[dataset.headers.index(column)] if column in dataset.headers else None


def _messages(number: int, error: ValidationError, labels: dict[str, str]) -> list[str]:
    messages = []
    for name, errors in error.message_dict.items():
        for message in errors:
            if name == NON_FIELD_ERRORS or name not in labels:
                text = message
            else:
                text = f"{labels[name]} {message}"
            messages.append(_("第 %(row)s 行：%(message)s") % {"row": number, "message": text})
    return messages


def _changed(resource: MasterResource, row_result) -> list[str]:
    original, instance = row_result.original, row_result.instance
    if original is None or instance is None:
        return []
    return [
        header(f.column_name)
        for f in resource.get_import_fields()
        if f.get_value(original) != f.get_value(instance)
    ]

"""Optimistic concurrency: a write names the version it was made from, and a stale write is
refused (412 `stale`, "已被他人修改") instead of silently overwriting someone else's change.

The version of an object is a hash of its stored values (its `updated_at` among them), so any
change of the row, by any path, gives a new version. The API sends it as the `ETag` and honours
`If-Match` (`weibao.api.viewsets.ConditionalWrites`); the admin's change forms of master data
carry it in a hidden field (`VersionedAdmin`). Both compare with `check_version` on the row
locked for the rest of the transaction (`locked`), so two writers with the same version never
both succeed.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from weibao.core.errors import DomainError

VERSION_FIELD = "_version"


class StaleObject(DomainError):
    """The object changed since the version the writer read."""

    code = "stale"
    status = 412


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def version_of(obj) -> str:
    """The version of a stored object: changes whenever any of its stored values changes.

    A model whose editable state lives partly in other rows names those relations in
    `version_related` (e.g. `("customers",)` for a many-to-many, `("response_targets",)` for the
    rows of a policy): the ids of the related objects (many-to-many) or their stored values
    (rows pointing at it) are part of the version too."""
    values = [[field.attname, field.value_from_object(obj)] for field in obj._meta.concrete_fields]
    for name in getattr(obj, "version_related", ()):
        field = obj._meta.get_field(name)
        related = getattr(obj, name).all()
        if field.many_to_many:
            values.append([name, sorted(related.values_list("pk", flat=True))])
        else:
            values.append([name, sorted(version_of(row) for row in related)])
    return version_of_values(obj._meta.label, values)


def version_of_values(label: str, values) -> str:
    """The version of state that is not one row (e.g. the whole permission matrix): a hash of
    `label` and the JSON-serialisable `values`."""
    payload = json.dumps([label, values], cls=_Encoder, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def etag_of(obj) -> str:
    """The strong entity tag of an object, quoted as the `ETag` header wants it."""
    return f'"{version_of(obj)}"'


def locked(obj):
    """The object's row as stored now, locked until the transaction ends (PostgreSQL; SQLite
    serialises writers anyway). Call inside `transaction.atomic`."""
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def check_version(obj, version: str) -> None:
    """Refuse with `StaleObject` unless `version` (a version, or an `If-Match` header value:
    quoted tags separated by commas, or `*`) names the current version of `obj`."""
    check_current(version_of(obj), version)


def check_current(current: str, version: str) -> None:
    """Refuse with `StaleObject` unless `version` (a version or an `If-Match` value) names the
    version `current`."""
    tags = [tag.strip() for tag in str(version).split(",")]
    if "*" in tags or any(tag.strip('"') == current for tag in tags if not tag.startswith("W/")):
        return
    raise StaleObject(_("已被他人修改，请刷新后再改。"))


def changed_values(current, form) -> list[dict]:
    """The fields where the stored object differs from what the user typed: the label and the
    value stored now (as people read it), to show next to a refused stale save."""
    out = []
    for name, field in form.fields.items():
        try:
            model_field = current._meta.get_field(name)
        except Exception:  # a form-only field
            continue
        if not getattr(model_field, "concrete", False) or name not in form.cleaned_data:
            continue
        stored = model_field.value_from_object(current)
        typed = form.cleaned_data.get(name)
        typed = getattr(typed, "pk", typed)
        if _same(stored, typed):
            continue
        shown = getattr(current, name)
        if model_field.choices:
            shown = getattr(current, f"get_{name}_display")()
        out.append({"name": name, "label": field.label, "value": "" if shown is None else shown})
    return out


def _same(stored, typed) -> bool:
    if stored in (None, "") and typed in (None, ""):
        return True
    return stored == typed or str(stored) == str(typed)


def posted_version(request) -> str:
    """The version a web edit form was rendered from (its hidden `_version`), or ""."""
    return request.POST.get(VERSION_FIELD, "") if request.method == "POST" else ""


def save_if_current(obj, version: str, save):
    """Run `save()` in one transaction with `obj`'s row locked, after checking that `version`
    (posted by a web edit form) is still the stored one. A stale version raises `StaleObject`
    carrying the stored object as `current`, and `save` is not called. A new object, or a save
    without a version (an old page), is not checked."""
    with transaction.atomic():
        if obj is not None and obj.pk and version:
            current = locked(obj)
            try:
                check_version(current, version)
            except StaleObject as exc:
                exc.current = current
                raise
        return save()


def stale_form_context(form, exc: StaleObject, stored: dict | None = None) -> dict:
    """Mark a web form refused as stale (keeping what was typed) and answer the context its
    template's `core/_version.html` shows: the other person's values and the version that a
    second save knowingly overwrites. A form whose fields are not the model's names the stored
    values per field (`stored`, e.g. the form's initial values from the stored object)."""
    form.add_error(None, _("已被他人修改，您的更改未保存；请核对下方他人保存的值。"))
    values = changed_values(exc.current, form) if stored is None else _changed_from(stored, form)
    return {"stale_values": values, "version": version_of(exc.current)}


def _changed_from(stored: dict, form) -> list[dict]:
    out = []
    for name, field in form.fields.items():
        if name not in stored or name not in form.cleaned_data:
            continue
        value, typed = stored[name], form.cleaned_data[name]
        if _same(_plain(value), _plain(typed)):
            continue
        out.append({"name": name, "label": field.label, "value": _shown(field, value)})
    return out


def _plain(value):
    """A value as compared: objects by their id, several values as a sorted list."""
    if isinstance(value, (list, tuple, set, frozenset, QuerySet)):
        return sorted(str(getattr(item, "pk", item)) for item in value)
    return getattr(value, "pk", value)


def _shown(field, value) -> str:
    """A stored value as people read it in `field`: its choice's label, 是/否, names joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    labels = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, (list, tuple, set, frozenset, QuerySet)):
        return "、".join(str(labels.get(getattr(item, "pk", item), item)) for item in value)
    return labels.get(getattr(value, "pk", value), value)


def form_version(request, obj) -> str:
    """The version an edit form carries: the posted one after a refused save, else the stored
    object's ("" for a new object)."""
    if obj is None or not obj.pk:
        return ""
    return posted_version(request) or version_of(type(obj)._base_manager.get(pk=obj.pk))


class VersionedAdmin(admin.ModelAdmin):
    """A change form that carries the version it was rendered from (hidden `_version`) and
    answers a stale save with "已被他人修改" and the other person's values, keeping what the
    user typed. A save without the field (an old page) is not checked."""

    change_form_template = "admin/core/versioned_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or request.method != "POST" or VERSION_FIELD not in request.POST:
            return form
        posted = request.POST[VERSION_FIELD]

        class VersionedForm(form):
            stale_object = None

            def clean(self):
                cleaned = super().clean()
                current = locked(self.instance)  # the admin's change view is one transaction
                try:
                    check_version(current, posted)
                except StaleObject as exc:
                    self.stale_object = current
                    raise ValidationError(
                        _("已被他人修改，您的更改未保存；请核对上方他人保存的值。"), code=exc.code
                    ) from exc
                return cleaned

        return VersionedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = getattr(context.get("adminform"), "form", None)
        stale = getattr(form, "stale_object", None)
        if stale is not None:
            context["stale_values"] = changed_values(stale, form)
            context["version"] = version_of(stale)  # saving again now overwrites knowingly
        elif obj is not None and obj.pk:
            # after a refused POST `obj` holds the typed values: the version is the stored row's
            posted = request.POST.get(VERSION_FIELD) if request.method == "POST" else None
            stored = obj if request.method != "POST" else type(obj)._base_manager.get(pk=obj.pk)
            context["version"] = posted or version_of(stored)
        return super().render_change_form(request, context, add, change, form_url, obj)

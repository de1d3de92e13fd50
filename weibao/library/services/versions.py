"""Recording software upgrades and patches on an asset (OTH-1)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.assets.models import Asset
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, field_choice, with_note
from weibao.library.choices import ChangeKind
from weibao.library.models import SoftwareChange
from weibao.library.services.access import require_any


@transaction.atomic
def apply_software_change(
    asset: Asset,
    *,
    kind: str,
    to_version: str = "",
    patch_name: str = "",
    applied_at: dt.datetime | None = None,
    note: str = "",
    actor,
) -> SoftwareChange:
    """Record an upgrade, patch or rollback and move the asset's `software_version` to the
    new version (the asset's audit records the field change). A patch may leave the version
    unchanged. Writes a "version" event so the change shows in the customer archive.
    Engineers (`visit.work`) and provider staff with `master.edit` record changes."""
    require_any(actor, Capability.MASTER_EDIT, Capability.VISIT_WORK, customer_id=asset.customer_id)
    if kind not in ChangeKind.values:
        raise DomainError(_("无效的变更类型。"), field="kind")
    to_version, patch_name = to_version.strip(), patch_name.strip()
    if kind == ChangeKind.PATCH and not patch_name:
        raise DomainError(_("请填写补丁名称。"), code="patch_name_required", field="patch_name")
    if kind != ChangeKind.PATCH and not to_version:
        raise DomainError(_("请填写新版本号。"), code="version_required", field="to_version")
    applied_at = applied_at or clock.now()
    if applied_at > clock.now() + dt.timedelta(minutes=1):
        raise DomainError(_("实施时间不能晚于当前时间。"), field="applied_at")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    from_version = asset.software_version
    to_version = to_version or from_version
    change = SoftwareChange.objects.create(
        asset=asset,
        kind=kind,
        from_version=from_version,
        to_version=to_version,
        patch_name=patch_name,
        applied_at=applied_at,
        applied_by=actor,
        note=note.strip(),
    )
    if to_version != from_version:
        asset.software_version = to_version
        asset.save(update_fields=["software_version"])
    record_event(
        asset,
        kind="version",
        actor=actor,
        message=_describe(change),
        data={"change": change.pk, "kind": kind, "from": from_version, "to": to_version,
              "patch": patch_name},
    )  # fmt: skip
    return change


def _describe(change: SoftwareChange) -> EventText | str:
    if change.kind == ChangeKind.PATCH:
        text = event_text(
            "安装补丁 %(patch)s（版本 %(version)s）",
            patch=change.patch_name,
            version=change.to_version or "—",
        )
    else:
        text = event_text(
            "%(kind)s：%(old)s → %(new)s",
            kind=field_choice(change, "kind"),
            old=change.from_version or "—",
            new=change.to_version,
        )
        if change.patch_name:
            text = event_text("%(event)s（补丁 %(patch)s）", event=text, patch=change.patch_name)
    return with_note(text, change.note)

"""The spare-part catalog (备板备件销售目录): part numbers and their catalog prices are
configuration — an administrator's (`config.edit`), never an engineer's or a keeper's."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core.errors import DomainError
from weibao.spares.models import PartType
from weibao.spares.services.access import require

FIELDS = ("part_number", "name", "category", "asset_model", "catalog_price", "notes")


@transaction.atomic
def save_part_type(part_type: PartType | None = None, *, actor, **values) -> PartType:
    """Create a part type, or change one (its catalog price included)."""
    require(actor, Capability.CONFIG_EDIT)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    if "part_number" in values and not str(values["part_number"]).strip():
        raise DomainError(_("请填写备件编码。"), field="part_number")
    if values.get("catalog_price") is not None and Decimal(values["catalog_price"]) < 0:
        raise DomainError(_("目录价不能为负。"), field="catalog_price")
    part_type = part_type or PartType()
    for name, value in values.items():
        setattr(part_type, name, value)
    part_type.full_clean()
    part_type.save()
    return part_type


@transaction.atomic
def delete_part_type(part_type: PartType, *, actor) -> None:
    """Remove a part type nobody uses yet."""
    require(actor, Capability.CONFIG_EDIT)
    try:
        part_type.delete()
    except ProtectedError as error:
        raise DomainError(_("该备件型号已有备件或单据，不能删除。"), code="in_use") from error

"""Writes of accounts: the permission matrix (PRM-1), edited by an administrator; a user's
language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import AccountEvent, Language, Role
from weibao.accounts.models import RoleCapability
from weibao.accounts.selectors import matrix_version, permission_matrix
from weibao.core import concurrency
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require


@transaction.atomic
def set_permission_matrix(
    matrix: Mapping[str, Iterable[str]], *, actor, version: str = ""
) -> dict[str, list]:
    """Make the matrix hold exactly `matrix` (role → capabilities) for the roles it names;
    roles not named keep their rows. Needs `config.edit` (administrators). Returns the
    cells granted and revoked; an event on the actor records them.

    `version` (the `matrix_version` the change was made from, or an `If-Match` value) guards
    against two administrators overwriting each other: if the matrix changed since, the
    change is refused with `StaleObject` (412, "已被他人修改") and nothing is written. The
    matrix's rows are locked for the check and the write."""
    require(actor, Capability.CONFIG_EDIT)
    unknown_roles = set(matrix) - set(Role.values)
    if unknown_roles:
        raise DomainError(
            _("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown_roles))},
            code="unknown_role", field="matrix",
        )  # fmt: skip
    wanted = {role: set(caps) for role, caps in matrix.items()}
    unknown = set().union(*wanted.values()) - set(Capability.values) if wanted else set()
    if unknown:
        raise DomainError(
            _("未知权限：%(caps)s") % {"caps": ", ".join(sorted(unknown))},
            code="unknown_capability", field="matrix",
        )  # fmt: skip
    list(RoleCapability.objects.select_for_update().order_by("pk").values_list("pk"))
    current = permission_matrix()
    if version:
        concurrency.check_current(matrix_version(current), version)
    granted = sorted((r, c) for r, caps in wanted.items() for c in caps - current.get(r, set()))
    revoked = sorted((r, c) for r, caps in wanted.items() for c in current.get(r, set()) - caps)
    for role, capability in revoked:
        RoleCapability.objects.filter(role=role, capability=capability).delete()
    RoleCapability.objects.bulk_create(
        [RoleCapability(role=r, capability=c) for r, c in granted], ignore_conflicts=True
    )
    RoleCapability.forget_cache()
    if granted or revoked:
        record_event(
            actor,
            kind=AccountEvent.PERMISSION_MATRIX_CHANGED,
            message=event_text(
                "修改权限矩阵：授予 %(g)d 项，撤销 %(r)d 项", g=len(granted), r=len(revoked)
            ),
            actor=actor,
            data={"granted": granted, "revoked": revoked},
        )
    return {"granted": granted, "revoked": revoked}


@transaction.atomic
def set_language(user, *, language: str, actor) -> None:
    """Store the language `user` reads Weibao in: their screens after signing in and the
    notifications sent to them from now on (messages already written stay as written). A user
    sets their own; an administrator (`config.edit`) anyone's. An unknown language is refused
    on the field `language`."""
    if actor is None or actor.pk != user.pk:
        require(actor, Capability.CONFIG_EDIT)
    if language not in Language.values:
        raise DomainError(
            _("不支持的语言：%(language)s（可选：%(choices)s）")
            % {"language": language, "choices": ", ".join(Language.values)},
            code="unknown_language", field="language",
        )  # fmt: skip
    if user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])
    record_event(
        user,
        kind=AccountEvent.LANGUAGE_CHANGED,
        message=event_text("界面语言：%(language)s", language=Language(language)),
        actor=actor,
    )

"""People: users of the provider and of customers, the roles they hold, and teams."""

from __future__ import annotations

import time

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.accounts.choices import CUSTOMER_ROLES, Language, Role, TeamKind
from weibao.core.models import AuditedModel


class User(AbstractUser):
    """A person who signs in. Belongs to the provider (staff) or to one customer (客户用户)."""

    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    provider = models.ForeignKey(
        "tenancy.Provider",
        verbose_name=_("服务商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("客户用户只能看到本客户的数据"),
    )
    # Blank until the user chooses: their screens then follow the language switch's cookie and
    # their notifications the site's default language (settings LANGUAGE_CODE, zh-hans).
    language = models.CharField(
        _("语言"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        default="",
        help_text=_("登录后的界面和发给此用户的通知使用的语言；留空：简体中文（界面随语言切换）"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    def clean(self) -> None:
        super().clean()
        if self.provider_id and self.customer_id:
            raise ValidationError(
                {"customer": _("用户只能属于服务商或某个客户，不能同时属于两者。")}
            )

    @property
    def is_customer_user(self) -> bool:
        return self.customer_id is not None

    @property
    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.role_assignments.values_list("role", flat=True))
        return self._role_codes

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes & set(roles))

    def roles_for(self, customer_id: int | None) -> set[str]:
        """Roles held for this customer (assignments for it or for all customers); with
        `customer_id=None`, every role held."""
        if not hasattr(self, "_role_scopes"):
            self._role_scopes = list(self.role_assignments.values_list("role", "customer_id"))
        return {
            role
            for role, scope in self._role_scopes
            if customer_id is None or scope is None or scope == customer_id
        }

    def has_capability(self, capability: str, *, customer_id: int | None = None) -> bool:
        """Whether the permission matrix (PRM-1) lets this user do `capability`, for objects
        of `customer_id` when given. Administrators hold every capability; a customer's user
        acts only for its own customer."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        if self.customer_id is not None:
            if customer_id is not None and customer_id != self.customer_id:
                return False
            from weibao.accounts.capabilities import CUSTOMER_CAPABILITIES

            if capability not in CUSTOMER_CAPABILITIES:
                return False
        roles = self.roles_for(customer_id)
        if not roles:
            return False
        return capability in RoleCapability.matrix_for(roles)


class RoleAssignment(AuditedModel):
    """A role a user holds, for all customers or for one (e.g. the account manager of 客户A)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=40, choices=Role.choices)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("负责客户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("留空表示对所有客户担任此角色"),
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "customer"], name="unique_role_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        is_customer_role = self.role in CUSTOMER_ROLES
        if is_customer_role and not self.user.customer_id:
            raise ValidationError({"role": _("客户角色只能分配给客户用户。")})
        if not is_customer_role and self.user.customer_id:
            raise ValidationError({"role": _("服务商角色不能分配给客户用户。")})

    def archive_scope(self):
        return {"customer": self.customer_id or self.user.customer_id}


class Team(AuditedModel):
    """A standing team: the emergency team (应急小组) or the expert team (专家组)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=TeamKind.choices)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("负责客户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teams",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("成员"), through="TeamMembership", related_name="teams"
    )

    class Meta:
        verbose_name = _("小组")
        verbose_name_plural = _("小组")

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField(_("组长"), default=False)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.team} · {self.user}"


class RoleCapability(models.Model):
    """One cell of the permission matrix (PRM-1): holders of `role` may do `capability`.
    Seeded from `accounts.capabilities.DEFAULT_MATRIX`; an administrator edits it."""

    role = models.CharField(_("角色"), max_length=40, choices=Role.choices)
    capability = models.CharField(_("权限"), max_length=60)

    class Meta:
        verbose_name = _("角色权限")
        verbose_name_plural = _("角色权限")
        constraints = [
            models.UniqueConstraint(fields=["role", "capability"], name="unique_role_capability")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.capability}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cache()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cache()
        return result

    @classmethod
    def matrix_for(cls, roles) -> frozenset[str]:
        """The capabilities any of `roles` holds (one query; cached per role set for a
        second, so a page that checks twenty actions asks the database once)."""
        key = frozenset(roles)
        now = time.monotonic()
        cached = _MATRIX_CACHE.get(key)
        if cached is not None and now - cached[0] < _MATRIX_TTL:
            return cached[1]
        caps = frozenset(cls.objects.filter(role__in=key).values_list("capability", flat=True))
        _MATRIX_CACHE[key] = (now, caps)
        return caps

    @classmethod
    def forget_cache(cls) -> None:
        _MATRIX_CACHE.clear()


_MATRIX_TTL = 1.0
_MATRIX_CACHE: dict[frozenset, tuple[float, frozenset[str]]] = {}

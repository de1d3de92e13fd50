"""People: users of the provider and of customers, the roles they hold, and teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.accounts.choices import CUSTOMER_ROLES, Role, TeamKind
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

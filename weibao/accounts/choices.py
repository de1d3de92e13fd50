from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of spec §0. Provider roles first, then the customer's."""

    SUPPORT_AGENT = "support_agent", _("客户支持中心坐席")
    ENGINEER = "engineer", _("维护工程师")
    MAINTENANCE_MANAGER = "maintenance_manager", _("维护管理经理")
    SERVICE_OFFICE_MANAGER = "service_office_manager", _("服处经理")
    SUBCENTER_EXPERT = "subcenter_expert", _("子中心专家")
    CENTER_HEAD = "center_head", _("中心负责人")
    SERVICE_CENTER_GM = "service_center_gm", _("服务中心总经理")
    ACCOUNT_MANAGER = "account_manager", _("客户经理")
    SPARE_KEEPER = "spare_keeper", _("备板备件管理员")
    CUSTOMER_STAFF = "customer_staff", _("客户维护人员")
    CUSTOMER_LEADER = "customer_leader", _("客户负责人")


CUSTOMER_ROLES = frozenset({Role.CUSTOMER_STAFF, Role.CUSTOMER_LEADER})
PROVIDER_ROLES = frozenset(set(Role) - CUSTOMER_ROLES)


class TeamKind(models.TextChoices):
    EMERGENCY = "emergency", _("应急小组")
    EXPERT = "expert", _("专家组")
    OTHER = "other", _("其他")


class AccountEvent(models.TextChoices):
    """Event kinds the accounts app writes to the timeline (`core.audit.record_event`)."""

    PERMISSION_MATRIX_CHANGED = "accounts.permission_matrix_changed", _("修改权限矩阵")
    LANGUAGE_CHANGED = "accounts.language_changed", _("修改界面语言")


class Language(models.TextChoices):
    """The languages a user reads Weibao in: its screens after signing in and the
    notifications addressed to them (settings `LANGUAGES`; `LANGUAGE_CODE` is the default)."""

    ZH_HANS = "zh-hans", _("简体中文")
    EN = "en", _("英文")

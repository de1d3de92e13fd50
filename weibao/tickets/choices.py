from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a request reached the support center (TKT-1)."""

    PHONE = "phone", _("电话")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    PORTAL = "portal", _("客户门户")
    API = "api", _("接口")
    ALARM = "alarm", _("告警")


class RequestType(models.TextChoices):
    FAULT = "fault", _("故障")
    CONSULTATION = "consultation", _("技术咨询")
    OTHER = "other", _("其它问题/新功能")


class Level(models.TextChoices):
    L1 = "L1", _("一级（紧急）")
    L2 = "L2", _("二级")
    L3 = "L3", _("三级")
    L4 = "L4", _("四级")


class Stage(models.TextChoices):
    """Stages of the support flow (TKT-2); the allowed moves are in `tickets.flow`."""

    NEW = "new", _("已受理")
    PHONE = "phone_support", _("电话支持")
    REMOTE = "remote_support", _("远程支持")
    ONSITE = "onsite_support", _("现场支持")
    EXPERT_REMOTE = "expert_remote", _("专家远程诊断/模拟")
    EXPERT_ONSITE = "expert_onsite", _("专家现场排障")
    EMERGENCY = "emergency", _("一级故障应急")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


OPEN_STAGES = frozenset(set(Stage) - {Stage.RESOLVED, Stage.CLOSED})


class ConsentMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    WRITTEN = "written", _("书面")
    PORTAL = "portal", _("客户门户")
    EMAIL = "email", _("电子邮件")


class TicketEvent(models.TextChoices):
    """Event kinds a ticket writes on its timeline (`weibao.core.audit.record_event`)."""

    OPENED = "ticket.opened", _("受理")
    STAGE = "ticket.stage", _("流程")
    LEVEL = "ticket.level", _("调整级别")
    RECLASSIFIED = "ticket.reclassified", _("更正级别")
    CONSENT = "ticket.consent", _("远程同意")
    CLOCK = "ticket.clock", _("计时")
    CALLBACK = "ticket.callback", _("回访")
    ACTION = "ticket.action", _("应急行动")
    EMERGENCY_ENTERED = "ticket.emergency_entered", _("启动一级故障应急")
    EMERGENCY_LEFT = "ticket.emergency_left", _("降级，退出一级故障应急")
    THIRD_PARTY = "ticket.third_party", _("第三方保修")
    ATTACHMENT_DELETED = "ticket.attachment_deleted", _("删除附件")

"""Choices of the feedback app: how a callback was made, and complaints' channels and states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallbackMethod(models.TextChoices):
    """How the callback result (OTH-6) was obtained."""

    PHONE = "phone", _("电话回访")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    IM = "im", _("即时通讯（微信/钉钉等）")
    ONSITE = "onsite", _("现场回访")
    PORTAL_SURVEY = "portal_survey", _("客户门户满意度调查")


AGENT_CALLBACK_METHODS = [c for c in CallbackMethod.choices if c[0] != CallbackMethod.PORTAL_SURVEY]


class ComplaintChannel(models.TextChoices):
    """How a complaint reached us."""

    PHONE = "phone", _("电话")
    PORTAL = "portal", _("客户门户")
    EMAIL = "email", _("电子邮件")
    LETTER = "letter", _("书面/信函")
    VISIT = "visit", _("来访/现场")
    API = "api", _("接口")
    OTHER = "other", _("其他")


class ComplaintState(models.TextChoices):
    """Where a complaint is; the allowed moves are in `feedback.flow`."""

    OPEN = "open", _("待首次响应")
    RESPONDED = "responded", _("处理中")
    RESOLVED = "resolved", _("待客户确认")
    CLOSED = "closed", _("已关闭")


class ConfirmationMethod(models.TextChoices):
    """How the customer's confirmation (or refusal) of a resolution was given."""

    PORTAL = "portal", _("客户门户")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("电子邮件")
    WRITTEN = "written", _("书面")
    ONSITE = "onsite", _("当面")


COMPLAINT_BADGES = {
    ComplaintState.OPEN: "pending",
    ComplaintState.RESPONDED: "running",
    ComplaintState.RESOLVED: "update",
    ComplaintState.CLOSED: "done",
}


class FeedbackEvent(models.TextChoices):
    """Event kinds feedback writes to the timeline (`core.audit.record_event`)."""

    COMPLAINT_RECEIVED = "complaint.received", _("受理投诉")
    COMPLAINT_BREACH = "complaint.breach", _("投诉处理超时")

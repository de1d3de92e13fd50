"""Choices of the notifications app: notification kinds, channels, endpoint kinds, outbox
states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EndpointKind(models.TextChoices):
    """What an administrator-configured endpoint talks to."""

    SMS_GATEWAY = "sms_gateway", _("短信网关")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")
    FEISHU = "feishu", _("飞书群机器人")
    WEBHOOK = "webhook", _("通用 Webhook")
    VOICE_GATEWAY = "voice_gateway", _("语音通知（电话）")


# Endpoints that receive one message per notification themselves (not per person).
BROADCAST_KINDS = frozenset(
    {EndpointKind.DINGTALK, EndpointKind.WECOM, EndpointKind.FEISHU, EndpointKind.WEBHOOK}
)


class PersonalChannel(models.TextChoices):
    """Channels that reach one person at their own address."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Channel(models.TextChoices):
    """How one outbox row travels."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")
    FEISHU = "feishu", _("飞书")
    WEBHOOK = "webhook", _("Webhook")
    VOICE = "voice", _("语音电话")


class State(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


# The shared stylesheet's badge colour for each delivery state.
STATE_BADGES = {State.PENDING: "pending", State.SENT: "active", State.FAILED: "expired"}


class NotificationKind(models.TextChoices):
    """What a notification is about: the vocabulary endpoints subscribe to (an endpoint with
    no kinds checked receives all of them)."""

    ESCALATION = "escalation", _("升级通知")
    L1_NOTICE = "l1_notice", _("一级故障 15 分钟通知")
    BREACH = "breach", _("时限超时")
    EMERGENCY_ACTION = "emergency_action", _("应急行动")
    CONTINUED_ESCALATION = "continued_escalation", _("持续升级（未解决）")
    DELIVERY_FAILED = "delivery_failed", _("通知发送失败")
    VISIT_DISPATCHED = "visit_dispatched", _("派工")
    DOCUMENT_SIGNATURE_REQUESTED = "document_signature_requested", _("文档待签字")
    DOCUMENT_SIGNED = "document_signed", _("文档已签字")
    REPAIR_LOANER = "repair_loaner", _("返修超期借用备件")
    REPAIR_OVERDUE = "repair_overdue", _("返修超期")
    LOAN_DUE = "loan_due", _("备件借用到期")
    LOAN_CONVERTED = "loan_converted", _("借用转销售")
    LOAN_COMPENSATED = "loan_compensated", _("借用备件赔偿")
    SALE_SHIP = "sale_ship", _("备件销售发货期限")
    STATEMENT_SEND = "statement_send", _("费用单待确认")
    STATEMENT_APPROVE = "statement_approve", _("费用单已确认")
    STATEMENT_REJECT = "statement_reject", _("费用单被退回")
    COMPLAINT_RECEIVED = "complaint_received", _("收到投诉")
    COMPLAINT_RESOLVED = "complaint_resolved", _("投诉已处理")
    COMPLAINT_DECLINED = "complaint_declined", _("投诉不予受理")
    COMPLAINT_BREACH = "complaint_breach", _("投诉响应超时")
    CALLBACK_UNSATISFIED = "callback_unsatisfied", _("回访不满意")
    INSPECTION_REMINDER = "inspection_reminder", _("巡检提醒")
    INSPECTION_MOVED = "inspection_moved", _("巡检改期")
    COVERAGE_EXPIRY = "coverage_expiry", _("第三方保修到期")
    CONSULTING = "consulting", _("网络变更咨询")
    ANALYSIS_REPORT = "analysis_report", _("运行分析报告")
    CALENDAR_SCHEDULE_MISSING = "calendar_schedule_missing", _("放假安排提醒")
    TICKET_NOTE = "ticket_note", _("客户留言")
    TEST = "test", _("测试消息")


# Kinds that also ring people by phone (voice call) by default, when a voice gateway is
# enabled: the 15-minute L1 notice ("15 分钟内电话通知"). L1 ladder steps ask for it too.
VOICE_KINDS = frozenset({NotificationKind.L1_NOTICE})


class NotificationEvent(models.TextChoices):
    """Kinds of the events the notifications app writes (on an outbox row or an endpoint)."""

    NOTIFICATION = "notification", _("通知")

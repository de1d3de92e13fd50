"""E-mail: one message to the notification's address over SMTP (Django's `EMAIL_*` settings).

Delivered means the SMTP server accepted the message for the recipient; a refused recipient,
a refused connection or a timeout is a `DeliveryError`.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from weibao.notifications.channels.base import DeliveryError


def send(notification) -> None:
    if not notification.address:
        raise DeliveryError("没有收件地址。")
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"X-Weibao-Notification": str(notification.pk)},
    )
    try:
        accepted = message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"邮件服务器拒收收件人：{exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"邮件服务器错误 {exc.smtp_code}：{exc.smtp_error!r}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"无法通过邮件服务器发送：{exc}") from exc
    if not accepted:
        raise DeliveryError("邮件服务器没有接受这封邮件。")

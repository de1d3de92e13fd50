"""Reads of the notifications app: the outbox as a user may see it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from weibao.notifications.models import Notification


def is_provider_staff(user) -> bool:
    """Signed in and not a customer's user: the people who run the service desk."""
    return bool(user and user.is_authenticated and not getattr(user, "customer_id", None))


def outbox_for(user) -> QuerySet[Notification]:
    """Notifications `user` may see: none for customer users; provider staff see their
    provider's customers' and the customer-less ones; superusers see all."""
    rows = Notification.objects.select_related("recipient", "customer", "endpoint")
    if not is_provider_staff(user):
        return rows.none()
    if user.is_superuser:
        return rows
    scope = Q(customer__isnull=True)
    if user.provider_id:
        scope |= Q(customer__provider_id=user.provider_id)
    return rows.filter(scope)


def sms_gateway_available(customer_id: int | None = None) -> bool:
    """Whether an enabled SMS gateway could carry text messages (for `customer_id`)."""
    from weibao.notifications.choices import EndpointKind
    from weibao.notifications.models import ChannelEndpoint

    scope = Q(customer__isnull=True)
    if customer_id:
        scope |= Q(customer_id=customer_id)
    return ChannelEndpoint.objects.filter(
        scope, kind=EndpointKind.SMS_GATEWAY, enabled=True
    ).exists()


def preferences_of(user) -> dict[str, dict]:
    """For the preferences page: per personal channel, `enabled` and `address` as stored, or
    the defaults described in `NotificationPreference` when the user has no row."""
    from weibao.notifications.choices import PersonalChannel
    from weibao.notifications.models import NotificationPreference

    rows = {p.channel: p for p in NotificationPreference.objects.filter(user=user)}
    defaults = {
        PersonalChannel.EMAIL: bool(user.email),
        PersonalChannel.SMS: bool(user.phone) and sms_gateway_available(user.customer_id),
    }
    return {
        channel: {
            "enabled": rows[channel].enabled if channel in rows else defaults[channel],
            "address": rows[channel].address if channel in rows else "",
        }
        for channel in PersonalChannel.values
    }


def failed_for(user, *, ref_type: str, ref_id) -> QuerySet[Notification]:
    """Notifications about one object (e.g. `ref_type="ticket"`) that failed for good, as
    `user` may see them (provider staff only), newest first."""
    from weibao.notifications.choices import State

    return outbox_for(user).filter(ref_type=ref_type, ref_id=str(ref_id), state=State.FAILED)


def failures_for_ticket(ticket, user) -> list[Notification]:
    """The ticket's notifications that failed for good (shown on the ticket page)."""
    return list(failed_for(user, ref_type="ticket", ref_id=ticket.pk))

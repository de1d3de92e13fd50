"""The batch outbox: many notifications written together, in the caller's transaction.

`Outbox` is what a writer of many notifications uses (the runner's due sources write
thousands per batch); `services.notify` is its one-notification case. The lookups that do not
depend on the message (a customer's endpoints, people's preferences) are made once per batch,
the rows are written with one INSERT (COPY on PostgreSQL), and a row whose
`(dedupe_key, channel, address)` is already in the outbox is skipped, never doubled.

Who gets what, per notification:
- each recipient, on every enabled personal channel with a usable address (see
  `NotificationPreference` for the defaults): e-mail, SMS when an SMS gateway is enabled;
- when the notification asks for a voice call (`voice=True`, or its kind is one of
  `VOICE_KINDS`) and a voice gateway is enabled: a call to each recipient's phone;
- one message per enabled robot/webhook endpoint (of the customer or of all customers)
  subscribed to its kind.

Each row is worded in its reader's language here (`wording.Wording`): give `subject` and `body`
as `event_text(...)` and a recipient preferring English gets English, a robot or webhook the
default language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q

from weibao.core import clock
from weibao.core.bulk import insert
from weibao.core.errors import DomainError
from weibao.notifications.choices import (
    BROADCAST_KINDS,
    VOICE_KINDS,
    Channel,
    EndpointKind,
    PersonalChannel,
    State,
)
from weibao.notifications.models import ChannelEndpoint, Notification, NotificationPreference
from weibao.notifications.wording import Text, Wording

DEDUPE_KEY_MAX = 200

Target = tuple[Any, Channel, str, ChannelEndpoint | None]  # (user, channel, address, endpoint)


class Outbox:
    """Notifications collected by `add()` and written together by `write()`."""

    def __init__(self) -> None:
        self.rows: list[Notification] = []
        self._endpoints: dict[int | None, list[ChannelEndpoint]] = {}
        self._preferences: dict[int, dict[str, NotificationPreference]] = {}
        self._targets_cache: dict[tuple, list[Target]] = {}

    # Reads, cached for the batch -------------------------------------------------------

    def endpoints(self, customer) -> list[ChannelEndpoint]:
        """Enabled endpoints of `customer` and of all customers, the customer's own first."""
        customer_id = getattr(customer, "pk", customer)
        if customer_id not in self._endpoints:
            scope = Q(customer__isnull=True)
            if customer_id is not None:
                scope |= Q(customer_id=customer_id)
            rows = ChannelEndpoint.objects.filter(scope, enabled=True).order_by("customer", "name")
            self._endpoints[customer_id] = sorted(rows, key=lambda ep: ep.customer_id is None)
        return self._endpoints[customer_id]

    def targets(self, recipients: Iterable, customer, *, voice: bool = False) -> list[Target]:
        """(user, channel, address, endpoint) of every personal message to the recipients."""
        people = _unique(recipients)
        key = (getattr(customer, "pk", customer), voice, *(user.pk for user in people))
        if key not in self._targets_cache:
            self._load_preferences(people)
            endpoints = self.endpoints(customer)
            self._targets_cache[key] = list(self._targets(people, endpoints, voice=voice))
        return self._targets_cache[key]

    def reachable(self, recipients: Iterable, customer, *, voice: bool = False) -> list:
        """The recipients a personal message would reach on at least one enabled channel."""
        people = {user.pk for user, *_ in self.targets(recipients, customer, voice=voice)}
        return [user for user in _unique(recipients) if user.pk in people]

    # Writes -----------------------------------------------------------------------------

    def add(
        self,
        *,
        recipients: Iterable[Any],
        subject: Text,
        body: Text,
        kind: str,
        dedupe_key: str,
        customer=None,
        ref_type: str = "",
        ref_id: str = "",
        payload: dict | None = None,
        voice: bool | None = None,
        skip_endpoints: frozenset[int] = frozenset(),
    ) -> list[Notification]:
        """Queue one notification; returns its (unsaved) outbox rows, one per address, each
        worded in its recipient's language (robots and webhooks: the default language).
        Robots and webhooks whose id is in `skip_endpoints` are left out."""
        if not kind or not dedupe_key:
            raise DomainError("通知必须有类别和去重键。", code="notification_incomplete")
        if len(dedupe_key) > DEDUPE_KEY_MAX:
            raise DomainError("去重键过长（最多 200 个字符）。", field="dedupe_key")
        voice = kind in VOICE_KINDS if voice is None else voice
        now = clock.now()
        wording = Wording(subject, body)
        common = {
            "kind": str(kind), "payload": payload or {},
            "dedupe_key": dedupe_key, "customer": customer, "ref_type": ref_type,
            "ref_id": str(ref_id), "state": State.PENDING, "next_attempt_at": now,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        rows = [
            Notification(channel=channel, address=address, recipient=user, endpoint=ep,
                         **wording.for_user(user), **common)
            for user, channel, address, ep in self.targets(recipients, customer, voice=voice)
        ]  # fmt: skip
        rows += [
            Notification(
                channel=ep.kind, address=ep.name, endpoint=ep, **wording.in_language(None), **common
            )
            for ep in self.endpoints(customer)
            if ep.kind in BROADCAST_KINDS and ep.subscribes_to(kind) and ep.pk not in skip_endpoints
        ]
        rows = _first_per_address(rows)
        self.rows += rows
        return rows

    def write(self) -> int:
        """Insert the queued rows (a conflicting dedupe key is skipped); returns how many were
        queued."""
        rows, self.rows = self.rows, []
        insert(rows, ignore_conflicts=True)
        return len(rows)

    # Internals --------------------------------------------------------------------------

    def _load_preferences(self, people: list) -> None:
        missing = [user.pk for user in people if user.pk not in self._preferences]
        if not missing:
            return
        for pk in missing:
            self._preferences[pk] = {}
        for pref in NotificationPreference.objects.filter(user__in=missing):
            self._preferences[pref.user_id][pref.channel] = pref

    def _targets(self, people: list, endpoints: list, *, voice: bool) -> Iterator[Target]:
        sms_gateway = _first_of(endpoints, EndpointKind.SMS_GATEWAY)
        voice_gateway = _first_of(endpoints, EndpointKind.VOICE_GATEWAY) if voice else None
        for user in people:
            preferences = self._preferences.get(user.pk, {})
            for channel, own_address, endpoint in (
                (PersonalChannel.EMAIL, user.email, None),
                (PersonalChannel.SMS, user.phone, sms_gateway),
            ):
                pref = preferences.get(channel)
                if pref is not None and not pref.enabled:
                    continue
                address = ((pref.address if pref is not None else "") or own_address).strip()
                if not address or (channel == PersonalChannel.SMS and sms_gateway is None):
                    continue
                yield user, Channel(channel), address, endpoint
            if voice_gateway is not None:
                # An urgent call rings the phone even when text messages are switched off.
                pref = preferences.get(PersonalChannel.SMS)
                phone = ((pref.address if pref is not None else "") or user.phone).strip()
                if phone:
                    yield user, Channel.VOICE, phone, voice_gateway


def _unique(recipients: Iterable) -> list:
    return list({user.pk: user for user in recipients if user is not None}.values())


def _first_of(endpoints: list[ChannelEndpoint], kind: str) -> ChannelEndpoint | None:
    return next((ep for ep in endpoints if ep.kind == kind), None)


def _first_per_address(rows: list[Notification]) -> list[Notification]:
    """Two recipients sharing an address get one message."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in rows:
        if (row.channel, row.address) not in seen:
            seen.add((row.channel, row.address))
            unique.append(row)
    return unique

"""Third-party warranty coverage (OTH-3): registering it, renewing it (a new period), and the
expiry reminders sent through the notification outbox by the due source
`library.coverage_reminders`.

Reminder times: each period gets one reminder per configured day count (e.g. 60, 30 and 7
days before expiry) at 09:00 local time on that day. Reminders whose time has already passed
when a period is recorded are collapsed into one, sent at the next tick (the one nearest to
expiry), so a coverage entered 20 days before it expires gets a single "30 days" reminder,
not three at once. A renewal cancels the unsent reminders of the older periods.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import bounds, clock, due
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require
from weibao.library import selectors
from weibao.library.choices import LibraryEvent
from weibao.library.models import (
    CoveragePeriod,
    CoverageReminder,
    ThirdPartyCoverage,
    parse_reminder_days,
)
from weibao.library.models.coverage import DEFAULT_REMINDER_DAYS
from weibao.notifications.services import notify

REMINDER_HOUR = 9


def _days(text: str) -> tuple[int, ...]:
    try:
        return parse_reminder_days(text)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="reminder_days") from error


def _check_dates(start_date: dt.date, expiry_date: dt.date) -> None:
    bounds.check_date(start_date, "start_date")
    bounds.check_date(expiry_date, "expiry_date")
    if expiry_date < start_date:
        raise DomainError(_("到期日期不能早于开始日期。"), field="expiry_date")


@transaction.atomic
def register_coverage(
    *,
    customer,
    vendor: str,
    covers: str,
    start_date: dt.date,
    expiry_date: dt.date,
    contract_number: str = "",
    assets=(),
    contact_name: str = "",
    contact_phone: str = "",
    reminder_days: str = DEFAULT_REMINDER_DAYS,
    note: str = "",
    actor,
) -> ThirdPartyCoverage:
    """Record a vendor's coverage with its first period and plan the expiry reminders
    (provider staff with `master.edit`)."""
    require(actor, Capability.MASTER_EDIT, customer_id=customer.pk)
    if not vendor.strip():
        raise DomainError(_("请填写第三方厂商。"), field="vendor")
    if not covers.strip():
        raise DomainError(_("请填写保修内容。"), field="covers")
    _check_dates(start_date, expiry_date)
    days = _days(reminder_days)
    assets = list(assets)
    if any(a.customer_id != customer.pk for a in assets):
        raise DomainError(_("设备不属于该客户。"), field="assets")
    coverage = ThirdPartyCoverage.objects.create(
        customer=customer,
        vendor=vendor.strip(),
        covers=covers.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        reminder_days=",".join(map(str, days)),
        note=note.strip(),
    )
    if assets:
        coverage.assets.set(assets)
    period = CoveragePeriod.objects.create(
        coverage=coverage,
        contract_number=contract_number.strip(),
        start_date=start_date,
        expiry_date=expiry_date,
        recorded_by=actor,
    )
    plan_reminders(period, days=days, now=clock.now())
    return coverage


@transaction.atomic
def renew_coverage(
    coverage: ThirdPartyCoverage,
    *,
    start_date: dt.date,
    expiry_date: dt.date,
    contract_number: str = "",
    note: str = "",
    actor,
) -> CoveragePeriod:
    """Record a renewal (续保): a new period after the current one. The unsent reminders of
    the older periods are cancelled and the new period's are planned. `master.edit`."""
    require(actor, Capability.MASTER_EDIT, customer_id=coverage.customer_id)
    coverage = ThirdPartyCoverage.objects.select_for_update().get(pk=coverage.pk)
    _check_dates(start_date, expiry_date)
    current = coverage.current_period
    if current is not None and expiry_date <= current.expiry_date:
        raise DomainError(
            _("续保后的到期日期必须晚于当前到期日期 %(day)s。") % {"day": current.expiry_date},
            code="renewal_not_later",
            field="expiry_date",
        )
    now = clock.now()
    CoverageReminder.objects.filter(
        period__coverage=coverage, sent_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now)
    period = CoveragePeriod.objects.create(
        coverage=coverage,
        contract_number=contract_number.strip(),
        start_date=start_date,
        expiry_date=expiry_date,
        recorded_by=actor,
        note=note.strip(),
    )
    plan_reminders(period, days=coverage.days, now=now)
    record_event(
        coverage,
        kind=LibraryEvent.COVERAGE_RENEWED,
        actor=actor,
        message=event_text(
            "已续保：%(start)s 至 %(end)s，合同号 %(number)s",
            start=start_date,
            end=expiry_date,
            number=contract_number or "—",
        ),
    )
    return period


@transaction.atomic
def change_reminder_days(coverage: ThirdPartyCoverage, *, reminder_days: str, actor):
    """Change when reminders go out; the current period's unsent reminders are re-planned
    (reminders already sent stay sent). `master.edit`."""
    require(actor, Capability.MASTER_EDIT, customer_id=coverage.customer_id)
    days = _days(reminder_days)
    coverage = ThirdPartyCoverage.objects.select_for_update().get(pk=coverage.pk)
    coverage.reminder_days = ",".join(map(str, days))
    coverage.save(update_fields=["reminder_days"])
    period = coverage.current_period
    if period is not None:
        plan_reminders(period, days=days, now=clock.now())
    return coverage


def reminder_time(expiry_date: dt.date, days_before: int) -> dt.datetime:
    day = expiry_date - dt.timedelta(days=days_before)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(REMINDER_HOUR)))


def plan_reminders(period: CoveragePeriod, *, days: tuple[int, ...], now: dt.datetime) -> None:
    """(Re)plan the period's reminders: unsent ones are replaced; a day count already sent
    is not planned again; passed times collapse into one reminder due now."""
    CoverageReminder.objects.filter(period=period, sent_at__isnull=True).delete()
    sent = set(CoverageReminder.objects.filter(period=period).values_list("days_before", flat=True))
    if period.expiry_date < timezone.localdate(now):
        return
    times = {d: reminder_time(period.expiry_date, d) for d in days if d not in sent}
    passed = [d for d, at in times.items() if at <= now]
    rows = [
        CoverageReminder(period=period, days_before=d, due_at=at)
        for d, at in times.items()
        if at > now
    ]
    if passed and not (sent and min(sent) <= min(passed)):
        rows.append(CoverageReminder(period=period, days_before=min(passed), due_at=now))
    CoverageReminder.objects.bulk_create(rows)


def send_coverage_reminders(*, now: dt.datetime, limit: int) -> int:
    """Due source: send the reminders that are due, each exactly once (claimed under a row
    lock and marked sent in the same transaction as its outbox rows)."""
    with transaction.atomic():
        pending = CoverageReminder.objects.filter(
            sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now
        ).order_by("due_at", "id")
        reminders = list(due.claim(pending)[:limit])
        for reminder in reminders:
            _send(reminder, now=now)
        CoverageReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(sent_at=now)
    return len(reminders)


def _send(reminder: CoverageReminder, *, now: dt.datetime) -> None:
    period = CoveragePeriod.objects.select_related("coverage__customer").get(pk=reminder.period_id)
    coverage = period.coverage
    left = period.days_left(timezone.localdate(now))
    # worded in each recipient's language by the outbox
    subject = event_text("第三方保修即将到期：%(vendor)s，剩余 %(days)d 天", vendor=coverage.vendor,
                         days=left)  # fmt: skip
    body = event_text(
        "%(customer)s 的第三方保修将于 %(expiry)s 到期（剩余 %(days)d 天）。\n"
        "厂商：%(vendor)s\n保修内容：%(covers)s\n合同号：%(number)s\n"
        "厂商联系人：%(contact)s %(phone)s\n请及时办理续保。",
        customer=coverage.customer,
        expiry=period.expiry_date,
        days=left,
        vendor=coverage.vendor,
        covers=coverage.covers,
        number=period.contract_number or "—",
        contact=coverage.contact_name or "—",
        phone=coverage.contact_phone,
    )
    recipients = selectors.account_managers(coverage.customer_id) + selectors.customer_people(
        coverage.customer_id
    )
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        kind="coverage_expiry",
        dedupe_key=f"coverage-reminder:{reminder.pk}",
        customer=coverage.customer,
        ref_type="third_party_coverage",
        ref_id=str(coverage.pk),
    )
    record_event(
        coverage,
        kind=LibraryEvent.COVERAGE_REMINDER,
        message=event_text("到期提醒已发出（到期前 %(days)d 天）", days=reminder.days_before),
        data={"period": period.pk, "days_before": reminder.days_before},
    )

"""The dry run of the classification rules (ALM-3): replay the alarms raised over the last
days through correlation's grouping (per customer, site and rule; raises further apart than
the window start a new incident) and the rules, and count the tickets each level would have
opened ("would have opened 3 L1 and 12 L2 tickets"). Reads only; nothing is written.

An incident the real path holds opens no ticket, so the dry run counts it apart, by reason,
asking the real path's questions: a maintenance window covering the raise is
`suppression.covering_window` itself, over the windows of the period as recorded now; the
inhibition (`suppression.inhibiting_incident` asks the database for open incidents, which a
dry run's are not) is asked of the replayed incidents: one classified by an inhibiting rule,
of the site or a site above it (the same `ancestors` chain), open at the raise. As in the
real path, an incident is held only while every raise is held: the first raise neither
inhibited nor covered opens its ticket."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from weibao.alarms.choices import ChangeKind
from weibao.alarms.models import AlarmChange
from weibao.incidents import facts as facts_of
from weibao.incidents import policy
from weibao.incidents.choices import Suppression
from weibao.incidents.correlation import incident_key
from weibao.incidents.models import Incident
from weibao.incidents.rules import Rule, Verdict, classify
from weibao.incidents.services.suppression import covering_window
from weibao.incidents.windows import windows_between
from weibao.tickets.choices import Level

DAYS = 7
HELD = (Suppression.MAINTENANCE, Suppression.INHIBITED)


@dataclass
class DryRun:
    """What the rules would have done: tickets per level, and per rule; the incidents the
    rules classified that a maintenance window or an inhibiting incident held (no ticket)."""

    since: dt.datetime
    until: dt.datetime
    incidents: int = 0
    tickets: Counter = field(default_factory=Counter)
    by_rule: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    held: Counter = field(default_factory=Counter)
    held_by_rule: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def summary(self) -> str:
        parts = [f"{self.tickets[level]} {level}" for level in Level.values if self.tickets[level]]
        if not parts:
            text = _("这些规则不会开出工单。")
        else:
            text = _("这些规则会开出 %(tickets)s 工单。") % {"tickets": "、".join(parts)}
        if self.held[Suppression.MAINTENANCE]:
            text += " " + _("维护窗口内不开单：%(count)d 个。") % {
                "count": self.held[Suppression.MAINTENANCE]}  # fmt: skip
        if self.held[Suppression.INHIBITED]:
            text += " " + _("被上级事件抑制不开单：%(count)d 个。") % {
                "count": self.held[Suppression.INHIBITED]}  # fmt: skip
        return text

    def as_dict(self, rules: list[Rule]) -> dict:
        names = {r.id: r.name for r in rules}
        held = lambda counts: {reason.value: counts[reason] for reason in HELD}  # noqa: E731
        per_rule = [
            {"id": pk, "name": names.get(pk, ""), "tickets": dict(self.by_rule[pk]),
             "held": held(self.held_by_rule[pk])}
            for pk in sorted(set(self.by_rule) | set(self.held_by_rule))
        ]  # fmt: skip
        return {
            "since": self.since,
            "until": self.until,
            "incidents": self.incidents,
            "tickets": {level: self.tickets[level] for level in Level.values},
            "held": held(self.held),
            "rules": per_rule,
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class _Where:
    site_id: int | None
    asset_id: int | None


@dataclass(frozen=True)
class _Raised:
    """One raise, shaped like the `AlarmChange` the real path hands `covering_window`."""

    at: dt.datetime
    alarm_id: int
    alarm: _Where


@dataclass
class _Replayed:
    """One incident of the replay: its raises, when its alarms had all recovered (None:
    some still firing) and its verdict."""

    key: str
    customer_id: int
    site_id: int | None
    raises: list[_Raised]
    ended: dt.datetime | None = None
    verdict: Verdict | None = None

    @property
    def started(self) -> dt.datetime:
        return self.raises[0].at

    def inhibits(self, other: _Replayed, at: dt.datetime) -> bool:
        """Whether this incident, open at `at` and correlated before `other` (earlier, or
        the same moment and a key sorted first, as a batch runs its keys), holds `other`."""
        return (
            self.key != other.key
            and (self.started, self.key) < (at, other.key)
            and (self.ended is None or at < self.ended)
        )


def _episodes(raises: list[_Raised], window: dt.timedelta):
    """Raises of one key split where they are further apart than the window."""
    episode: list[_Raised] = []
    for raised in sorted(raises, key=lambda r: (r.at, r.alarm_id)):
        if episode and raised.at - episode[-1].at > window:
            yield episode
            episode = []
        episode.append(raised)
    if episode:
        yield episode


def _ended(raises: list[_Raised], recoveries: dict[int, list[dt.datetime]]):
    """When every alarm of the episode had recovered after its last raise in it (None when
    one had not by the end of the period)."""
    last: dict[int, dt.datetime] = {}
    for raised in raises:
        last[raised.alarm_id] = raised.at
    ended = None
    for alarm_id, at in last.items():
        times = recoveries.get(alarm_id, [])
        i = bisect.bisect_left(times, at)
        if i == len(times):
            return None
        ended = times[i] if ended is None else max(ended, times[i])
    return ended


def dry_run(*, now: dt.datetime, rules: list[Rule] | None = None, days: int = DAYS,
            customer_id: int | None = None) -> DryRun:  # fmt: skip
    """Replay the last `days` of alarm raises (of one customer, or all) through `rules`
    (default: the active rules)."""
    rules = facts_of.active_rules() if rules is None else rules
    since = now - dt.timedelta(days=days)
    changes = AlarmChange.objects.filter(at__gte=since, at__lte=now)
    if customer_id is not None:
        changes = changes.filter(alarm__customer_id=customer_id)
    groups: dict[str, list[_Raised]] = defaultdict(list)
    sites: dict[str, tuple[int, int | None]] = {}
    recoveries: dict[int, list[dt.datetime]] = defaultdict(list)
    rows = changes.values_list("kind", "at", "alarm_id", "alarm__customer_id", "alarm__site_id",
                               "alarm__asset_id", "alarm__name")  # fmt: skip
    for kind, at, alarm_id, customer, site, asset, name in rows.iterator():
        if kind == ChangeKind.RESOLVED:
            recoveries[alarm_id].append(at)
            continue
        key = incident_key(customer, site, name)
        groups[key].append(_Raised(at, alarm_id, _Where(site, asset)))
        sites[key] = (customer, site)
    for times in recoveries.values():
        times.sort()
    result = DryRun(since=since, until=now)
    settings: dict[int, policy.CorrelationSettings] = {}
    replayed: list[_Replayed] = []
    for key, raises in groups.items():
        customer, site = sites[key]
        if customer not in settings:
            settings[customer] = policy.settings_for(customer)
        window = settings[customer].window
        for episode in _episodes(raises, window):
            facts = facts_of.period_facts(
                customer_id=customer, site_id=site, mine={r.alarm_id for r in episode},
                start=episode[0].at - window, end=episode[-1].at + window,
            )  # fmt: skip
            result.incidents += 1
            replayed.append(_Replayed(key, customer, site, episode, _ended(episode, recoveries),
                                      classify(rules, facts)))  # fmt: skip
    held = _Holds(replayed, settings, since=since, until=now)
    for incident in replayed:
        verdict = incident.verdict
        if verdict is None:
            continue
        reason = held.reason(incident)
        if reason:
            result.held[reason] += 1
            result.held_by_rule[verdict.rule.id][reason] += 1
            continue
        result.tickets[verdict.level] += 1
        result.by_rule[verdict.rule.id][verdict.level] += 1
    return result


class _Holds:
    """Whether the real path would have held a replayed incident, and why."""

    def __init__(self, replayed: list[_Replayed], settings, *, since, until):
        self.settings, self.since, self.until = settings, since, until
        self.reads = facts_of.SiteReads()
        self.inhibitors: dict[tuple[int, int], list[_Replayed]] = defaultdict(list)
        for incident in replayed:
            verdict = incident.verdict
            if verdict is not None and verdict.rule.inhibits and incident.site_id is not None:
                self.inhibitors[incident.customer_id, incident.site_id].append(incident)
        self.raised: dict[int, list[_Raised]] = defaultdict(list)
        for incident in replayed:
            self.raised[incident.customer_id].extend(incident.raises)
        self._windows: dict[int, list] = {}

    def windows(self, customer_id: int) -> list:
        """The customer's windows over the period, at its alarms' sites (and above) and assets."""
        if customer_id not in self._windows:
            raised = self.raised[customer_id]
            self._windows[customer_id] = windows_between(
                customer_id=customer_id,
                site_ids={s for r in raised for s in self.reads.ancestors(r.alarm.site_id)},
                asset_ids={r.alarm.asset_id for r in raised}, start=self.since, end=self.until,
                operation_window=self.settings[customer_id].operation_window,
            )  # fmt: skip
        return self._windows[customer_id]

    def reason(self, incident: _Replayed) -> str:
        """The reason the last raise was held when every raise was (a `Suppression`), or ""
        when one raise would have opened the ticket."""
        above = [
            other
            for site in self.reads.ancestors(incident.site_id)
            for other in self.inhibitors.get((incident.customer_id, site), ())
        ]
        cfg = self.settings[incident.customer_id]
        real = Incident(customer_id=incident.customer_id, site_id=incident.site_id)
        reason = ""
        for raised in incident.raises:
            if any(other.inhibits(incident, raised.at) for other in above):
                reason = Suppression.INHIBITED
            elif covering_window(real, [raised], cfg=cfg, reads=self.reads,
                                 windows=self.windows(incident.customer_id)):  # fmt: skip
                reason = Suppression.MAINTENANCE
            else:
                return ""
        return reason

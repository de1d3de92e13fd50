"""The dry run of the classification rules (ALM-3): replay the alarms raised over the last
days through correlation's grouping (per customer, site and rule; raises further apart than
the window start a new incident) and the rules, and count the tickets each level would have
opened ("would have opened 3 L1 and 12 L2 tickets"). Reads only; nothing is written."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from weibao.alarms.choices import ChangeKind
from weibao.alarms.models import AlarmChange
from weibao.incidents import facts as facts_of
from weibao.incidents import policy
from weibao.incidents.correlation import incident_key
from weibao.incidents.rules import Rule, classify
from weibao.tickets.choices import Level

DAYS = 7


@dataclass
class DryRun:
    """What the rules would have done: tickets per level, and per rule."""

    since: dt.datetime
    until: dt.datetime
    incidents: int = 0
    tickets: Counter = field(default_factory=Counter)
    by_rule: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def summary(self) -> str:
        parts = [f"{self.tickets[level]} {level}" for level in Level.values if self.tickets[level]]
        if not parts:
            return _("这些规则不会开出工单。")
        return _("这些规则会开出 %(tickets)s 工单。") % {"tickets": "、".join(parts)}

    def as_dict(self, rules: list[Rule]) -> dict:
        names = {r.id: r.name for r in rules}
        return {
            "since": self.since,
            "until": self.until,
            "incidents": self.incidents,
            "tickets": {level: self.tickets[level] for level in Level.values},
            "rules": [
                {"id": pk, "name": names.get(pk, ""), "tickets": dict(levels)}
                for pk, levels in sorted(self.by_rule.items())
            ],
            "summary": self.summary(),
        }


def _episodes(raises: list[tuple[dt.datetime, int]], window: dt.timedelta):
    """Raises of one key split where they are further apart than the window."""
    episode: list[tuple[dt.datetime, int]] = []
    for at, alarm_id in sorted(raises):
        if episode and at - episode[-1][0] > window:
            yield episode
            episode = []
        episode.append((at, alarm_id))
    if episode:
        yield episode


def dry_run(*, now: dt.datetime, rules: list[Rule] | None = None, days: int = DAYS,
            customer_id: int | None = None) -> DryRun:  # fmt: skip
    """Replay the last `days` of alarm raises (of one customer, or all) through `rules`
    (default: the active rules)."""
    rules = facts_of.active_rules() if rules is None else rules
    since = now - dt.timedelta(days=days)
    changes = AlarmChange.objects.filter(kind=ChangeKind.RAISED, at__gte=since, at__lte=now)
    if customer_id is not None:
        changes = changes.filter(alarm__customer_id=customer_id)
    groups: dict[str, list] = defaultdict(list)
    sites: dict[str, tuple[int, int | None]] = {}
    rows = changes.values_list("at", "alarm_id", "alarm__customer_id", "alarm__site_id",
                               "alarm__name")  # fmt: skip
    for at, alarm_id, customer, site, name in rows.iterator():
        key = incident_key(customer, site, name)
        groups[key].append((at, alarm_id))
        sites[key] = (customer, site)
    result = DryRun(since=since, until=now)
    settings: dict[int, policy.CorrelationSettings] = {}
    for key, raises in groups.items():
        customer, site = sites[key]
        if customer not in settings:
            settings[customer] = policy.settings_for(customer)
        window = settings[customer].window
        for episode in _episodes(raises, window):
            facts = facts_of.period_facts(
                customer_id=customer, site_id=site, mine={a for _at, a in episode},
                start=episode[0][0] - window, end=episode[-1][0] + window,
            )  # fmt: skip
            result.incidents += 1
            verdict = classify(rules, facts)
            if verdict is None:
                continue
            result.tickets[verdict.level] += 1
            result.by_rule[verdict.rule.id][verdict.level] += 1
    return result

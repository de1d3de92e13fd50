"""FLT-2 classification over an incident and its site's inventory, as pure functions over
frozen data (ALM-3). `weibao.incidents.facts` reads the facts from the database (live: the
alarms firing now; dry run: the alarms of a past period); this module decides.

    every front-end device of a monitoring center unreachable  → L1 (all_front_end_down)
    some end offices cut off from the center                   → L2 (end_offices_cut_off)
    one camera, sensor or peripheral                           → L3 (device_category)
    the level the alarm carries (B interface 1–4, Zabbix)      → as given (alarm_level)

The most severe matching inventory rule wins (the first by order among equals); the alarm's
own level and the catch-all are defaults, used only when no inventory rule matched."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from weibao.incidents.choices import Condition
from weibao.incidents.correlation import more_severe, most_severe


@dataclass(frozen=True)
class Device:
    """An in-service asset of the site's inventory (the site and the sites below it)."""

    asset_id: int
    site_id: int
    category: str


@dataclass(frozen=True)
class DownAlarm:
    """A firing alarm of the site's subtree; `mine` when it belongs to the incident."""

    site_id: int | None
    asset_id: int | None
    name: str
    level: str = ""
    category: str = ""
    mine: bool = True


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the incident's site kind, its subtree's sites (id → kind),
    its inventory and the alarms firing in it."""

    site_kind: str
    sites: dict[int, str] = field(default_factory=dict)
    devices: tuple[Device, ...] = ()
    alarms: tuple[DownAlarm, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A `ClassificationRule` row as frozen data."""

    id: int
    name: str
    condition: str
    level: str
    order: int = 0
    site_kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    alarm_names: tuple[str, ...] = ()
    inhibits: bool = False
    criterion_id: int | None = None


@dataclass(frozen=True)
class Verdict:
    level: str
    rule: Rule


def names_of(text: str) -> tuple[str, ...]:
    """'NodeDown, Camera*' → ('nodedown', 'camera*')."""
    return tuple(p.strip().lower() for p in (text or "").split(",") if p.strip())


def _named(rule: Rule, alarm: DownAlarm) -> bool:
    if not rule.alarm_names:
        return True
    name = (alarm.name or "").lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in rule.alarm_names)


def _down(alarms) -> tuple[set[int], set[int]]:
    """Assets with a firing alarm, and sites with a site-level (no asset) firing alarm."""
    assets = {a.asset_id for a in alarms if a.asset_id is not None}
    sites = {a.site_id for a in alarms if a.asset_id is None and a.site_id is not None}
    return assets, sites


def _all_front_end_down(rule: Rule, facts: Facts, alarms) -> bool:
    devices = [d for d in facts.devices if not rule.categories or d.category in rule.categories]
    if not devices:
        return False
    assets, sites = _down(alarms)
    # a site-level alarm takes down the devices of a front-end point, not of a center
    sites = {s for s in sites if facts.sites.get(s) == "front_end"}
    if not all(d.asset_id in assets or d.site_id in sites for d in devices):
        return False
    ids = {d.asset_id for d in devices}
    return any(a.mine and (a.asset_id in ids or a.site_id in sites) for a in alarms)


def _end_offices_cut_off(rule: Rule, facts: Facts, alarms) -> bool:
    offices = {site for site, kind in facts.sites.items() if kind == "end_office"}
    if not offices:
        return False
    assets, sites = _down(alarms)
    by_site: dict[int, list[int]] = {}
    for device in facts.devices:
        by_site.setdefault(device.site_id, []).append(device.asset_id)
    down = {
        office
        for office in offices
        if office in sites or (by_site.get(office) and all(a in assets for a in by_site[office]))
    }
    if not down:
        return False
    site_of = {d.asset_id: d.site_id for d in facts.devices}
    return any(a.mine and (a.site_id in down or site_of.get(a.asset_id) in down)
               for a in alarms)  # fmt: skip


def level_for(rule: Rule, facts: Facts) -> str:
    """The level `rule` gives the incident, or "" when it does not match."""
    if rule.site_kinds and facts.site_kind not in rule.site_kinds:
        return ""
    alarms = [a for a in facts.alarms if _named(rule, a)] if rule.alarm_names else facts.alarms
    mine = [a for a in alarms if a.mine]
    if not mine:
        return ""
    if rule.condition == Condition.ALL_FRONT_END_DOWN:
        return rule.level if _all_front_end_down(rule, facts, alarms) else ""
    if rule.condition == Condition.END_OFFICES_CUT_OFF:
        return rule.level if _end_offices_cut_off(rule, facts, alarms) else ""
    if rule.condition == Condition.DEVICE_CATEGORY:
        return rule.level if any(a.category in rule.categories for a in mine) else ""
    if rule.condition == Condition.ALARM_LEVEL:
        return most_severe(a.level for a in mine)
    if rule.condition == Condition.ANY:
        return rule.level
    return ""


# Rules that stand in only when no rule over the inventory matched ("as defaults").
DEFAULT_CONDITIONS = frozenset({Condition.ALARM_LEVEL, Condition.ANY})


def classify(rules, facts: Facts) -> Verdict | None:
    """The most severe level the inventory rules give (the first by order among equals);
    when none matches, the first default rule (the alarm's own level, any alarm) that does."""
    best: Verdict | None = None
    ordered = sorted(rules, key=lambda r: (r.order, r.id))
    for rule in ordered:
        if rule.condition in DEFAULT_CONDITIONS:
            continue
        level = level_for(rule, facts)
        if level and (best is None or more_severe(level, best.level)):
            best = Verdict(level, rule)
    if best is not None:
        return best
    for rule in ordered:
        if rule.condition in DEFAULT_CONDITIONS:
            level = level_for(rule, facts)
            if level:
                return Verdict(level, rule)
    return None

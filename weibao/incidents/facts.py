"""Reads what classification looks at (`weibao.incidents.rules.Facts`) from the database:
the site tree below an incident's site, its in-service inventory, and its alarms — the ones
firing now (live), or those of a past period (dry run)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from weibao.alarms.choices import AlarmState
from weibao.alarms.models import Alarm
from weibao.assets.models import Asset, AssetStatus
from weibao.incidents.models import ClassificationRule, IncidentAlarm
from weibao.incidents.rules import Device, DownAlarm, Facts, Rule, names_of
from weibao.sites.models import Site


def active_rules() -> list[Rule]:
    """The active classification rules as frozen data."""
    return [as_rule(row) for row in ClassificationRule.objects.filter(active=True)]


def as_rule(row: ClassificationRule) -> Rule:
    return Rule(
        id=row.pk,
        name=row.name,
        condition=row.condition,
        level=row.level,
        order=row.order,
        site_kinds=tuple(row.site_kinds or ()),
        categories=tuple(row.categories or ()),
        alarm_names=names_of(row.alarm_names),
        inhibits=row.inhibits,
        criterion_id=row.criterion_id,
    )


def subtree(site_id: int | None) -> dict[int, str]:
    """The site and every site below it (id → kind), one query per level of the tree."""
    if site_id is None:
        return {}
    found = dict(Site.objects.filter(pk=site_id).values_list("id", "kind"))
    frontier = set(found)
    while frontier:
        below = dict(Site.objects.filter(parent_id__in=frontier).values_list("id", "kind"))
        frontier = set(below) - set(found)
        found.update(below)
    return found


def ancestors(site_id: int | None) -> list[int]:
    """The site and the sites above it (a window on a center covers its end offices)."""
    chain: list[int] = []
    while site_id is not None and site_id not in chain:
        chain.append(site_id)
        site_id = Site.objects.filter(pk=site_id).values_list("parent_id", flat=True).first()
    return chain


class SiteReads:
    """The site tree and inventory read once per correlation batch (neither changes while
    alarms are correlated): subtree, in-service devices and ancestors by site."""

    def __init__(self):
        self._subtree: dict[int | None, dict[int, str]] = {}
        self._devices: dict[int | None, tuple[Device, ...]] = {}
        self._ancestors: dict[int | None, list[int]] = {}

    def subtree(self, site_id: int | None) -> dict[int, str]:
        if site_id not in self._subtree:
            self._subtree[site_id] = subtree(site_id)
        return self._subtree[site_id]

    def devices(self, site_id: int | None) -> tuple[Device, ...]:
        if site_id not in self._devices:
            self._devices[site_id] = _devices(self.subtree(site_id))
        return self._devices[site_id]

    def ancestors(self, site_id: int | None) -> list[int]:
        if site_id not in self._ancestors:
            self._ancestors[site_id] = ancestors(site_id)
        return self._ancestors[site_id]

    def preload(self, site_ids: Iterable[int | None]) -> None:
        """Read the subtree, inventory and ancestors of many sites at once — the sites of a
        correlation batch: one query per level of the tree and one for the inventory, instead
        of as many per site — with the same answers as when each site is first asked for."""
        roots = {s for s in site_ids if s is not None} - set(self._subtree)
        if not roots:
            return
        kinds, parents, children = {}, {}, defaultdict(list)
        for pk, kind, parent_id in Site.objects.filter(pk__in=roots).values_list(
            "id", "kind", "parent_id"
        ):
            kinds[pk], parents[pk] = kind, parent_id
        expanded: set[int] = set()
        frontier = set(kinds)
        while frontier:  # down: the sites below, level by level
            expanded |= frontier
            rows = Site.objects.filter(parent_id__in=frontier).values_list(
                "id", "kind", "parent_id"
            )
            frontier = set()
            for pk, kind, parent_id in rows:
                children[parent_id].append(pk)
                kinds.setdefault(pk, kind)
                parents.setdefault(pk, parent_id)
                if pk not in expanded:
                    frontier.add(pk)
        missing = {p for p in parents.values() if p is not None} - set(parents)
        while missing:  # up: the sites above, level by level
            found = dict(Site.objects.filter(pk__in=missing).values_list("id", "parent_id"))
            for pk in missing:
                parents[pk] = found.get(pk)
            missing = {p for p in found.values() if p is not None} - set(parents)
        trees = {root: _tree(root, kinds, children) for root in roots}
        in_any = {site for tree in trees.values() for site in tree}
        rows = Asset.objects.filter(site_id__in=list(in_any), status=AssetStatus.IN_SERVICE)
        inventory = [Device(a, s, c or "") for a, s, c in
                     rows.values_list("id", "site_id", "category__code")]  # fmt: skip
        for root, tree in trees.items():
            self._subtree[root] = tree
            self._devices[root] = tuple(d for d in inventory if d.site_id in tree)
            if root not in self._ancestors:
                self._ancestors[root] = _chain(root, parents)


def _tree(root: int, kinds: dict[int, str], children: dict[int, list[int]]) -> dict[int, str]:
    """The site `root` and every site below it (id → kind), as `subtree()` reads them."""
    if root not in kinds:
        return {}
    found = {root: kinds[root]}
    frontier = [root]
    while frontier:
        below = [child for parent in frontier for child in children.get(parent, ())]
        frontier = [child for child in below if child not in found]
        for child in frontier:
            found[child] = kinds[child]
    return found


def _chain(site_id: int | None, parents: dict[int, int | None]) -> list[int]:
    """The site and the sites above it, as `ancestors()` reads them."""
    chain: list[int] = []
    while site_id is not None and site_id not in chain:
        chain.append(site_id)
        site_id = parents.get(site_id)
    return chain


def _devices(sites: dict[int, str]) -> tuple[Device, ...]:
    rows = Asset.objects.filter(site_id__in=list(sites), status=AssetStatus.IN_SERVICE)
    return tuple(Device(a, s, c or "") for a, s, c in
                 rows.values_list("id", "site_id", "category__code"))  # fmt: skip


def _down(rows, mine: set[int], categories: dict[int, str]) -> tuple[DownAlarm, ...]:
    return tuple(
        DownAlarm(site_id=site, asset_id=asset, name=name, level=level,
                  category=categories.get(asset, "") if asset else "", mine=pk in mine)
        for pk, site, asset, name, level in rows
    )  # fmt: skip


_FIELDS = ("id", "site_id", "asset_id", "name", "suggested_level")


def live_facts(
    incident,
    *,
    reads: SiteReads | None = None,
    mine: set[int] | None = None,
    firing: FiringReads | None = None,
) -> Facts:
    """The incident's site kind, its subtree and inventory, and the alarms firing there now
    (the incident's own marked `mine`: read, unless given); `reads` shares the site tree and
    inventory between the incidents of one correlation batch, `firing` the alarms firing."""
    reads = reads or SiteReads()
    sites = reads.subtree(incident.site_id)
    devices = reads.devices(incident.site_id)
    if mine is None:
        mine = set(
            IncidentAlarm.objects.filter(incident=incident).values_list("alarm_id", flat=True)
        )
    rows = firing.rows(incident.customer_id, sites) if firing is not None and sites else None
    if rows is None:
        alarms = Alarm.objects.filter(customer_id=incident.customer_id, state=AlarmState.FIRING)
        if sites:
            rows = list(alarms.filter(site_id__in=list(sites)).values_list(*_FIELDS))
        else:
            rows = list(alarms.filter(pk__in=mine).values_list(*_FIELDS))
    categories = {d.asset_id: d.category for d in devices}
    categories.update(_categories_of({r[2] for r in rows if r[2]} - set(categories)))
    kind = sites.get(incident.site_id, "")
    return Facts(site_kind=kind, sites=sites, devices=devices,
                 alarms=_down(rows, mine, categories))  # fmt: skip


class FiringReads:
    """The alarms firing at the sites of a correlation batch, read once for all its incidents
    (`preload`) rather than once per incident. Read at the start of the batch: an alarm raised
    or resolved meanwhile by another delivery reaches correlation as its own change in the
    inbox, and its incident is classified again then."""

    def __init__(self):
        self._by_site: dict[int, dict[int, list[tuple]]] = {}  # customer → site → rows

    def preload(self, customer_id: int, sites: Iterable[int]) -> None:
        known = self._by_site.setdefault(customer_id, {})
        wanted = set(sites) - set(known)
        if not wanted:
            return
        for site_id in wanted:
            known[site_id] = []
        rows = Alarm.objects.filter(
            customer_id=customer_id, state=AlarmState.FIRING, site_id__in=list(wanted)
        ).values_list(*_FIELDS)
        for row in rows:
            known[row[1]].append(row)

    def rows(self, customer_id: int, sites: dict[int, str]) -> list[tuple] | None:
        """The firing alarms of `sites` (as `live_facts` reads them), or None when not all
        of those sites were preloaded."""
        known = self._by_site.get(customer_id, {})
        if any(site_id not in known for site_id in sites):
            return None
        return [row for site_id in sites for row in known[site_id]]


def period_facts(*, customer_id: int, site_id: int | None, mine: set[int],
                 start: dt.datetime, end: dt.datetime) -> Facts:  # fmt: skip
    """Facts for a dry run: the alarms `mine` (one past incident) and the other alarms of the
    subtree raised between `start` and `end`."""
    sites = subtree(site_id)
    devices = _devices(sites)
    alarms = Alarm.objects.filter(customer_id=customer_id)
    rows = list(alarms.filter(pk__in=mine).values_list(*_FIELDS))
    if sites:
        others = alarms.filter(site_id__in=list(sites), starts_at__gte=start,
                               starts_at__lte=end).exclude(pk__in=mine)  # fmt: skip
        rows += list(others.values_list(*_FIELDS))
    categories = {d.asset_id: d.category for d in devices}
    categories.update(_categories_of({r[2] for r in rows if r[2]} - set(categories)))
    return Facts(site_kind=sites.get(site_id, ""), sites=sites, devices=devices,
                 alarms=_down(rows, mine, categories))  # fmt: skip


def _categories_of(asset_ids: set[int]) -> dict[int, str]:
    if not asset_ids:
        return {}
    rows = Asset.objects.filter(pk__in=asset_ids).values_list("id", "category__code")
    return {pk: code or "" for pk, code in rows}

"""Which site and asset an alarm is about, from what the sender calls them: a site by its code
within the source's customer (case-insensitive, like the site code itself), an asset by its
serial number or name within that site — or, when it is not found there (a center reporting
the devices of the sites below it) or the site is unknown, by a serial number unique within
the customer; the alarm keeps the site that reported it. Anything not found stays null; the
alarm is stored anyway."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from weibao.assets.models import Asset
from weibao.sites.models import Site


class Resolver:
    """Resolves the `site_ref`/`asset_ref` of many alarms of one customer with two queries."""

    def __init__(self, customer_id: int):
        self.customer_id = customer_id

    def resolve(self, alarms: Iterable) -> None:
        alarms = list(alarms)
        codes = {a.site_ref.lower() for a in alarms if a.site_ref}
        refs = {a.asset_ref for a in alarms if a.asset_ref}
        sites = {}
        if codes:
            found = (
                Site.objects.annotate(code_lower=Lower("code"))
                .filter(customer_id=self.customer_id, code_lower__in=codes)
                .only("id", "code")
            )
            sites = {site.code.lower(): site for site in found}
        assets = []
        if refs:
            assets = list(
                Asset.objects.filter(customer_id=self.customer_id)
                .filter(Q(serial_number__in=refs) | Q(name__in=refs))
                .only("id", "site_id", "serial_number", "name")
            )
        for alarm in alarms:
            site = sites.get(alarm.site_ref.lower()) if alarm.site_ref else None
            alarm.site = site
            alarm.asset = self._asset(assets, alarm.asset_ref, site) if alarm.asset_ref else None
            if alarm.asset is not None and site is None:
                alarm.site_id = alarm.asset.site_id

    @staticmethod
    def _asset(assets: list[Asset], ref: str, site) -> Asset | None:
        if site is not None:
            in_site = [a for a in assets if a.site_id == site.pk]
            for match in (lambda a: a.serial_number == ref, lambda a: a.name == ref):
                found = [a for a in in_site if match(a)]
                if len(found) == 1:
                    return found[0]
        # A monitoring center reports the devices of the sites below it under its own code:
        # the device is found by its serial number, unique within the customer.
        by_serial = [a for a in assets if a.serial_number == ref]
        return by_serial[0] if len(by_serial) == 1 else None

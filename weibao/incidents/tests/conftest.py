"""A monitoring center with three cameras and an end office below it, a platform sending
their alarms through the real intake (`alarms.services.intake.accept`), and the runner's
correlation (the due source) run on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from weibao.alarms.normalised import Normalised
from weibao.alarms.services.intake import accept
from weibao.assets.models import AssetCategory
from weibao.core import clock, due
from weibao.incidents.services import correlate
from weibao.sites.models import SiteKind
from weibao.testing import factories as f


@dataclass
class Platform:
    desk: object
    center: object
    office: object
    cameras: list
    source: object

    def send(self, *items: Normalised, now: dt.datetime | None = None):
        return accept(self.source, list(items), raw={"body": "{}"}, now=now)

    def down(self, key: str, *, asset=None, site=None, name="DeviceUnreachable", **extra):
        site = site or (asset.site if asset is not None else self.center)
        return Normalised(key=key, name=name, site_code=site.code,
                          asset_ref=asset.serial_number if asset is not None else "",
                          starts_at=extra.pop("starts_at", clock.now()), **extra)  # fmt: skip

    def up(self, key: str, **extra):
        return self.down(key, resolved=True, ends_at=clock.now(), **extra)

    def correlate(self) -> int:
        return due.drain(correlate.correlate, now=clock.now(), batch=500)


@pytest.fixture
def platform(desk) -> Platform:
    center = desk.site
    center.kind = SiteKind.MONITORING_CENTER
    center.save()
    camera = AssetCategory.objects.get(code="camera")
    cameras = [
        f.AssetFactory(site=center, category=camera, name=f"摄像机{i}", serial_number=f"CAM-{i}")
        for i in (1, 2, 3)
    ]
    office = f.SiteFactory(
        customer=desk.customer,
        parent=center,
        kind=SiteKind.END_OFFICE,
        name="端局一",
        code="EO-1",
        service_point=center.service_point,
    )
    source = f.AlarmSourceFactory(customer=desk.customer)
    return Platform(desk=desk, center=center, office=office, cameras=cameras, source=source)

"""OTH-1: an upgrade or patch moves the asset's version, says who and when, and shows in the
customer archive."""

import datetime as dt

import pytest

from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.core.selectors import archive_for_asset
from weibao.library import services
from weibao.library.models import SoftwareChange

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]


def test_upgrade_moves_the_asset_version_and_lands_in_the_archive(world, frozen_clock):
    now = frozen_clock(dt.datetime(2026, 4, 2, 10, 30))
    asset = world.asset_a
    asset.software_version = "V3.1.8"
    asset.save()

    change = services.apply_software_change(
        asset, kind="upgrade", to_version="V3.2.1", patch_name="SP2", note="升级后运行正常",
        actor=world.provider_user,
    )  # fmt: skip

    asset.refresh_from_db()
    assert asset.software_version == "V3.2.1"
    assert (change.from_version, change.to_version, change.applied_at) == ("V3.1.8", "V3.2.1", now)
    assert change.applied_by == world.provider_user
    archive = list(archive_for_asset(asset))
    version_event = next(e for e in archive if e.kind == "version")
    assert "V3.1.8 → V3.2.1" in version_event.message
    assert version_event.actor == world.provider_user
    field_changes = ChangeLog.objects.filter(
        object_id=str(asset.pk), action="update", changes__has_key="software_version"
    ).order_by("id")
    assert [c.changes["software_version"] for c in field_changes] == [
        ["", "V3.1.8"],  # the fixture's own edit
        ["V3.1.8", "V3.2.1"],
    ]


def test_patch_without_new_version_keeps_the_version(world):
    world.asset_a.software_version = "V2.0"
    world.asset_a.save()
    change = services.apply_software_change(
        world.asset_a, kind="patch", patch_name="HOTFIX-17", actor=world.provider_user
    )
    world.asset_a.refresh_from_db()
    assert world.asset_a.software_version == "V2.0"
    assert (change.from_version, change.to_version) == ("V2.0", "V2.0")


@pytest.mark.parametrize(
    ("values", "field"),
    [({"kind": "upgrade"}, "to_version"), ({"kind": "patch"}, "patch_name")],
)
def test_a_change_must_say_what_changed(world, values, field):
    with pytest.raises(DomainError) as refused:
        services.apply_software_change(world.asset_a, actor=world.provider_user, **values)
    assert refused.value.field == field
    assert not SoftwareChange.objects.exists()


def test_engineer_records_a_change_from_the_web(client, world):
    client.force_login(world.provider_user)
    response = client.post(
        "/library/versions/new/",
        {"asset": world.asset_a.pk, "kind": "upgrade", "to_version": "V9", "note": "x"},
    )
    assert response.status_code == 302
    world.asset_a.refresh_from_db()
    assert world.asset_a.software_version == "V9"


def test_customer_sees_only_own_changes_and_cannot_record(client, world):
    services.apply_software_change(
        world.asset_a, kind="upgrade", to_version="VA-2", actor=world.provider_user
    )
    services.apply_software_change(
        world.asset_b, kind="upgrade", to_version="VB-2", actor=world.provider_user
    )
    client.force_login(world.user_a)
    page = client.get("/library/versions/").content.decode()
    assert "VA-2" in page
    assert "VB-2" not in page
    response = client.post(
        "/library/versions/new/", {"asset": world.asset_a.pk, "kind": "upgrade", "to_version": "Z"}
    )
    assert response.status_code == 403

"""Every create/update/delete of a domain object is recorded with actor, time and fields,
and the customer archive of a site/asset is fed from the same change log."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction

from weibao.core import audit
from weibao.core.audit import acting_as, collected, record_event
from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.core.selectors import archive_for_asset, archive_for_site, describe_changes
from weibao.sites.models import Site
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def test_update_records_actor_time_and_changed_fields_only(frozen_clock):
    asset = f.AssetFactory(software_version="V1.0")
    engineer = f.UserFactory(full_name="李工程师")
    at = frozen_clock(dt.datetime(2026, 3, 2, 10, 30))

    with acting_as(engineer):
        asset.software_version = "V1.1"
        asset.save()

    entry = ChangeLog.objects.filter(object_id=str(asset.pk), action="update").get()
    assert entry.actor == engineer
    assert entry.actor_name == "李工程师"
    assert entry.at == at
    assert entry.changes == {"software_version": ["V1.0", "V1.1"]}
    assert [(c.label, c.before, c.after) for c in describe_changes(entry)] == [
        ("软件版本", "V1.0", "V1.1")
    ]


def test_saving_without_changes_writes_nothing():
    asset = f.AssetFactory()
    before = ChangeLog.objects.count()
    asset.save()
    assert ChangeLog.objects.count() == before


def test_create_and_delete_are_recorded_with_values():
    site = f.SiteFactory(name="江宁端局")
    created = ChangeLog.objects.get(object_id=str(site.pk), action="create", kind="site")
    assert created.changes["name"] == [None, "江宁端局"]

    site_pk = site.pk
    site.delete()
    deleted = ChangeLog.objects.get(object_id=str(site_pk), action="delete")
    assert deleted.changes["name"] == ["江宁端局", None]


def test_many_to_many_coverage_change_is_recorded():
    customer = f.CustomerFactory()
    contract = f.make_contract(customer)
    site = f.SiteFactory(customer=customer)

    contract.sites.add(site)

    entry = ChangeLog.objects.filter(object_id=str(contract.pk), action="update").latest("id")
    assert entry.changes == {"sites": {"added": [site.pk]}}
    assert describe_changes(entry)[0].after == f"添加 {site.name}"


def test_site_archive_collects_site_asset_and_domain_events():
    site = f.SiteFactory()
    asset = f.AssetFactory(site=site)
    other_site_asset = f.AssetFactory()
    record_event(asset, kind="repair", message="主板返修")

    archive = list(archive_for_site(site))
    messages = [e.message for e in archive]
    assert "主板返修" in messages
    assert {e.object_id for e in archive} >= {str(site.pk), str(asset.pk)}
    assert str(other_site_asset.pk) not in {e.object_id for e in archive if e.kind == "asset"}
    assert next(e.message for e in archive_for_asset(asset)) == "主板返修"


def test_request_user_is_the_actor_of_api_writes(api, world):
    # The account manager of the customer may edit its sites (PRM-1: master.edit).
    api.force_authenticate(world.account_manager)
    response = api.patch(f"/api/sites/{world.site_a.pk}/", {"duty_phone": "025-1"}, format="json")
    assert response.status_code == 200
    entry = ChangeLog.objects.filter(object_id=str(world.site_a.pk), action="update").latest("id")
    assert entry.actor == world.account_manager
    assert entry.changes == {"duty_phone": ["", "025-1"]}


def test_a_json_field_change_reads_as_its_content_never_as_a_python_repr():
    from django.contrib.contenttypes.models import ContentType

    from weibao.fieldservice.models import EngineerProfile, Visit

    entry = ChangeLog.objects.create(
        action="update",
        content_type=ContentType.objects.get_for_model(EngineerProfile),
        object_id="1",
        object_repr="李工",
        changes={"skills": [["fsu"], ["fsu", "camera"]]},
    )
    assert [(c.before, c.after) for c in describe_changes(entry)] == [("fsu", "fsu, camera")]

    entry = ChangeLog.objects.create(
        action="update",
        content_type=ContentType.objects.get_for_model(Visit),
        object_id="1",
        object_repr="V1",
        changes={"proposal": {"distance_km": 12.5, "skills": ["ups"], "on_duty": True}},
    )
    (row,) = describe_changes(entry)
    assert row.after == "distance_km: 12.5; skills: ups; on_duty: 是"
    assert "{" not in row.after and "'" not in row.after


# --- a batch writer's rows (`collected()`): written together, in its transaction


def _events(subject) -> list[str]:
    rows = ChangeLog.objects.filter(object_id=str(subject.pk), action="event").order_by("id")
    return list(rows.values_list("message", flat=True))


def test_a_batch_writes_its_change_log_rows_when_it_ends_in_the_same_transaction():
    site = f.SiteFactory(name="江宁端局")
    with transaction.atomic():
        with collected():
            record_event(site, message="告警事件产生")
            site.name = "江宁端局（新）"
            site.save()
            assert _events(site) == []  # held back until the batch ends
        assert _events(site) == ["告警事件产生"]
        update = ChangeLog.objects.get(object_id=str(site.pk), action="update")
        assert update.changes["name"] == ["江宁端局", "江宁端局（新）"]


def test_a_row_written_in_a_savepoint_rolled_back_inside_a_batch_goes_with_it():
    site = f.SiteFactory()
    with transaction.atomic(), collected():
        record_event(site, message="保留")
        with contextlib.suppress(DomainError), transaction.atomic():
            record_event(site, message="随保存点撤销")
            raise DomainError("级别不可用")
        with transaction.atomic():
            record_event(site, message="保存点已提交")
    assert _events(site) == ["保留", "保存点已提交"]


def test_the_rows_of_a_batch_stopped_by_an_error_its_caller_catches_are_kept():
    site = f.SiteFactory()
    with transaction.atomic(), contextlib.suppress(DomainError), collected():
        record_event(site, message="出错之前的变更")
        raise DomainError("中途拒绝")
    assert _events(site) == ["出错之前的变更"]


def test_a_batch_rolled_back_leaves_no_row():
    site = f.SiteFactory()
    with contextlib.suppress(DomainError), transaction.atomic(), collected():
        record_event(site, message="整批撤销")
        raise DomainError("整批失败")
    assert _events(site) == []


def test_a_number_set_after_creation_is_recorded_once_as_a_change_of_the_new_row():
    site = f.SiteFactory(code="JN-01")
    audit.set_after_create(site, code=f"JN-{site.pk:05d}")

    assert Site.objects.get(pk=site.pk).code == site.code == f"JN-{site.pk:05d}"
    update = ChangeLog.objects.get(object_id=str(site.pk), action="update")
    assert update.changes == {"code": ["JN-01", f"JN-{site.pk:05d}"]}
    site.name = "江宁端局"
    site.save()  # a later save records its own change only, not the number again
    latest = ChangeLog.objects.filter(object_id=str(site.pk), action="update").latest("id")
    assert set(latest.changes) == {"name"}

"""Events are stored as a sentence id plus parameters and read in the reader's language: an
event written by a Chinese-speaking agent reads in English for an English reader, labels of
codes (levels, stages) and times included; rows written before keep their stored text."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from weibao.core.audit import EventBatch, record_event
from weibao.core.events import event_text, with_note
from weibao.core.models import ChangeLog
from weibao.testing import factories as f
from weibao.tickets import services
from weibao.tickets.choices import Level

pytestmark = pytest.mark.django_db


def _events(ticket, kind: str) -> list[ChangeLog]:
    return list(
        ChangeLog.objects.filter(object_id=str(ticket.pk), kind=kind, action="event").order_by("id")
    )


def _read(entry: ChangeLog, language: str) -> str:
    with translation.override(language):
        return entry.text


def test_an_event_written_in_chinese_reads_in_the_readers_language(desk):
    with translation.override("zh-hans"):
        ticket = desk.open(level="L2")
        services.change_level(ticket, level="L3", reason="仅影响一个端局", actor=desk.agent)

    (entry,) = _events(ticket, "ticket.level")
    assert entry.message == "故障级别 二级 → 三级，原因：仅影响一个端局"  # kept for search
    assert _read(entry, "zh-hans") == "故障级别 二级 → 三级，原因：仅影响一个端局"
    # the level is stored as its code and read through its label; what the user typed stays
    assert _read(entry, "en") == "Fault level L2 → L3, reason: 仅影响一个端局"
    assert entry.message_params["new"] == {"choice": "weibao.tickets.choices:Level", "value": "L3"}


def test_a_move_reads_with_its_stage_labels_and_the_note_in_each_language(desk):
    ticket = desk.open()
    services.move(ticket, "start_phone", actor=desk.engineer, note="已联系值班员")

    (entry,) = _events(ticket, "ticket.stage")
    assert _read(entry, "zh-hans") == "开始电话支持：已受理 → 电话支持。已联系值班员"
    assert _read(entry, "en") == "Start phone support: Accepted → Phone support. 已联系值班员"


def test_an_event_written_while_the_writer_reads_english_is_stored_in_chinese(desk):
    with translation.override("en"):
        ticket = desk.open()
        services.pause(ticket, reason="等待客户", actor=desk.engineer)

    (entry,) = [e for e in _events(ticket, "ticket.clock") if "等待客户" in e.message]
    assert entry.message == "暂停计时：等待客户"
    assert _read(entry, "en") == "Clock paused: 等待客户"


def test_times_are_stored_as_iso_and_read_as_local_time_of_the_reader(frozen_clock):
    asset = f.AssetFactory()
    at = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    record_event(
        asset,
        kind="test",
        message=event_text("升级为一级故障，启动应急流程；应急行动自 %(at)s 起计", at=at),
    )
    entry = ChangeLog.objects.filter(kind="test").get()
    assert entry.message_params == {"at": {"datetime": "2026-03-02T02:30:00+00:00"}}
    assert entry.message.endswith("2026-03-02 10:30 起计")
    with timezone.override("Europe/London"):
        assert "2026-03-02 02:30" in _read(entry, "en")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in _read(entry, "en"))


def test_lists_lazy_labels_and_nested_sentences_are_read_in_the_readers_language():
    asset = f.AssetFactory()
    events = EventBatch()
    events.add(
        asset,
        kind="test",
        message=with_note(
            event_text("免除（%(reason)s）：%(labels)s", reason=Level.L1, labels=["甲", "乙"]),
            event_text("已电话响应"),
        ),
    )
    events.write()
    entry = ChangeLog.objects.filter(kind="test").get()
    assert entry.message == "免除（一级（紧急））：甲、乙。已电话响应"
    assert _read(entry, "en").endswith("甲, 乙. Responded by phone")


def test_an_old_row_without_a_sentence_id_reads_as_stored():
    asset = f.AssetFactory()
    record_event(asset, kind="test", message="旧记录：已更换电源模块")
    entry = ChangeLog.objects.filter(kind="test").get()
    assert entry.message_id == ""
    assert _read(entry, "en") == "旧记录：已更换电源模块"


def test_a_sentence_whose_translation_breaks_its_placeholders_falls_back(desk):
    ticket = desk.open()
    entry = _events(ticket, "ticket.opened")[0]
    entry.message_params = {}  # e.g. a parameter lost: the sentence reads as it was written
    assert _read(entry, "en") == entry.message == "受理：监控中心看不到端局数据"


def test_the_site_archive_in_english_shows_the_event_in_english(client, settings, desk):
    ticket = desk.open(level="L2")
    services.change_level(ticket, level="L3", reason="仅影响一个端局", actor=desk.agent)

    client.force_login(desk.agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/sites/{desk.site.pk}/").content.decode()
    assert "Fault level L2 → L3, reason: 仅影响一个端局" in page
    assert "故障级别" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(f"/sites/{desk.site.pk}/").content.decode()
    assert "故障级别 二级 → 三级，原因：仅影响一个端局" in page

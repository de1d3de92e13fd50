"""The repair registration form and the fault label read in English for an English reader:
once the repair's own data values are taken out, no Chinese character or full-width
punctuation is left, in every optional line (tentative due date, re-repair, warranty)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from weibao.documents.pdf import cjk_font_available
from weibao.repairs.services import register_repair

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HIDDEN = re.compile(r"<style\b.*?</style>", re.S)


@pytest.fixture
def repair(hw, frozen_clock):
    """A repair with every optional line of the form filled in."""
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.UTC))
    first = register_repair(
        asset=hw.asset,
        fault_description="主控板无法启动",
        received_on=dt.date(2026, 9, 15),
        actor=hw.keeper,
    )
    again = register_repair(
        asset=hw.asset,
        fault_description="试用后再次无法启动",
        received_on=dt.date(2026, 10, 10),
        actor=hw.keeper,
    )
    again.previous = first
    again.part_type = hw.board
    again.due_provisional = True
    again.due_calendar_year = 2027
    again.in_warranty = True
    again.warranty_until = dt.date(2027, 3, 1)
    again.contact_name = "张工"
    again.contact_phone = "13800000000"
    again.save()
    return again


def _data(repair) -> list[str]:
    values = [
        repair.number,
        repair.previous.number,
        repair.customer.name,
        str(repair.site or ""),
        repair.asset.name,
        repair.asset.model,
        repair.part_description,
        repair.part_type.part_number,
        repair.serial_number,
        repair.fault_description,
        repair.contact_name,
        repair.contact_phone,
    ]
    values += [f"{h.carrier} {h.tracking_number}" for h in repair.hops.all()]
    return sorted((v for v in values if v), key=len, reverse=True)


def _leftover_chinese(template: str, repair) -> list[str]:
    with translation.override("en"):
        page = html.unescape(HIDDEN.sub("", render_to_string(template, {"repair": repair})))
    for value in _data(repair):
        page = page.replace(value, "")
    page = re.sub(r"[^<>]{0,160}…", "", page)  # the label shortens the fault text
    return [line.strip() for line in page.splitlines() if CJK.search(line)]


@pytest.mark.parametrize("template", ["repairs/registration_pdf.html", "repairs/label_pdf.html"])
def test_repair_pdfs_have_no_chinese_interface_text_in_english(repair, template):
    assert _leftover_chinese(template, repair) == []


def test_registration_form_reads_in_english(repair):
    with translation.override("en"):
        page = render_to_string("repairs/registration_pdf.html", {"repair": repair})
    assert "Copy 1: customer copy" in page and "Copy 2: accompanying copy" in page
    assert f"by {repair.due_date:%Y-%m-%d}" in page and "tentative: the 2027 holiday" in page
    assert "Under warranty (until 2027-03-01)" in page
    assert f"{repair.working_days} working days" in page


def test_registration_form_stays_chinese_by_default(repair):
    page = render_to_string("repairs/registration_pdf.html", {"repair": repair})
    assert "第一联 客户留存联" in page and "在保修期内（至 2027-03-01）" in page


@pytest.mark.skipif(not cjk_font_available(), reason="Noto Sans CJK SC is not installed")
def test_english_reader_downloads_an_english_fault_label(client, hw, repair):
    client.force_login(hw.keeper)
    client.cookies["django_language"] = "en"
    response = client.get(f"/repairs/{repair.pk}/label.pdf", HTTP_ACCEPT_LANGUAGE="en")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Fault label" in text and repair.number in text

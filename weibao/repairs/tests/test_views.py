"""The hardware screens: the spare keeper registers a repair and sees its due date on the
board; the customer sees only their own repairs and loans; printable documents; the asset
page fragment."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook
from pypdf import PdfReader

from weibao.accounts.choices import Role
from weibao.documents.pdf import cjk_font_available
from weibao.repairs.models import Repair
from weibao.repairs.selectors import asset_hardware
from weibao.repairs.services import register_repair
from weibao.spares.services.loans import lend_exchange
from weibao.testing import factories as f

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def world(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    hw.stock(hw.board, "MB-1", "MB-2")
    repair = register_repair(
        asset=hw.asset,
        fault_description="主控板无法启动",
        received_on=D(2026, 9, 15),
        actor=hw.keeper,
    )
    loan = lend_exchange(
        customer=hw.customer,
        part_type=hw.board,
        site=hw.site,
        faulty_serial_number="BAD-1",
        faulty_received_on=D(2026, 10, 12),
    )
    return hw, repair, loan


def test_keeper_registers_a_repair_in_the_form_and_sees_its_due_date(client, hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    client.force_login(hw.keeper)
    assert client.get("/repairs/new/").status_code == 200
    options = client.get(f"/repairs/new/assets/?customer={hw.customer.pk}").content.decode()
    assert hw.asset.serial_number in options
    response = client.post(
        "/repairs/new/",
        {
            "customer": hw.customer.pk,
            "asset": hw.asset.pk,
            "fault_description": "风扇不转",
            "repair_origin": "domestic",
            "received_at": "2026-09-15",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2026-11-02" in page and "剩 15 个工作日" in page
    assert Repair.objects.get().due_date == D(2026, 11, 2)


def test_form_registers_with_a_provisional_date_when_the_year_is_not_imported(
    client, hw, frozen_clock
):
    # Issue 9 changed this: the repair is registered, its due date flagged provisional.
    frozen_clock(dt.datetime(2026, 12, 20, 9, 0, tzinfo=SH))
    client.force_login(hw.keeper)
    response = client.post(
        "/repairs/new/",
        {
            "customer": hw.customer.pk,
            "asset": hw.asset.pk,
            "fault_description": "风扇不转",
            "received_at": "2026-12-18",
        },
    )
    assert response.status_code == 302
    repair = Repair.objects.get()
    assert repair.due_provisional and repair.due_calendar_year == 2027
    page = client.get(f"/repairs/{repair.pk}/").content.decode()
    assert 'data-testid="due-provisional"' in page


def test_board_shows_repairs_loans_with_marks_and_stock(client, world):
    hw, repair, loan = world
    client.force_login(hw.keeper)
    page = client.get("/repairs/board/").content.decode()
    assert repair.number in page and "2026-11-02" in page and "剩 15 个工作日" in page
    # 10-12 + 3 months = 2027-01-12 (period), + 6 months = 2027-04-12 (total limit)
    assert loan.number in page and "2027-01-12" in page and "2027-04-12" in page
    assert "南京备件中心" in page and "FSU-MB-01" in page


def test_customer_sees_own_repairs_and_loans_only(client, world):
    hw, repair, loan = world
    other = register_repair(
        asset=f.AssetFactory(site=f.SiteFactory(customer=f.CustomerFactory(provider=hw.provider))),
        fault_description="别人的",
        received_on=D(2026, 9, 15),
    )
    client.force_login(hw.customer_user)
    page = client.get("/repairs/").content.decode()
    assert repair.number in page and loan.number in page and other.number not in page
    assert client.get(f"/repairs/{other.pk}/").status_code == 404
    assert client.get("/repairs/board/").status_code == 403
    assert client.post(f"/repairs/{repair.pk}/send_to_center/").status_code == 403


def test_keeper_moves_a_repair_from_its_page(client, world):
    hw, repair, _loan = world
    client.force_login(hw.keeper)
    client.post(
        f"/repairs/{repair.pk}/hop/",
        {"leg": "office_to_center", "shipped_on": "2026-09-16", "tracking_number": "SF77"},
    )
    client.post(f"/repairs/{repair.pk}/repaired/")
    client.post(f"/repairs/{repair.pk}/return/", {"returned_on": "2026-10-09"})
    page = client.get(f"/repairs/{repair.pk}/").content.decode()
    repair.refresh_from_db()
    assert repair.status == "in_trial" and "SF77" in page and "2026-11-09" in page


@pytest.mark.skipif(not cjk_font_available(), reason="Noto Sans CJK SC is not installed")
def test_registration_prints_in_two_copies_and_a_fault_label(client, world):
    hw, repair, _loan = world
    client.force_login(hw.keeper)
    response = client.get(f"/repairs/{repair.pk}/registration.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 2
    assert "客户留存联" in texts[0] and "随件联" in texts[1]
    assert all(repair.number in t and "主控板无法启动" in t for t in texts)
    label = PdfReader(io.BytesIO(client.get(f"/repairs/{repair.pk}/label.pdf").content))
    assert "故障标签" in label.pages[0].extract_text()


def test_asset_fragment_shows_history_and_warranty(world, rf):
    hw, repair, _loan = world
    html = render_to_string(
        "repairs/_asset_hardware.html",
        {"hardware": asset_hardware(hw.asset, hw.keeper), "user": hw.keeper},
    )
    assert repair.number in html and "非备件销售件" in html


def test_spares_pages_render(client, world):
    hw, _repair, loan = world
    client.force_login(hw.keeper)
    for url in (
        "/spares/loans/",
        f"/spares/loans/{loan.pk}/",
        "/spares/loans/new/",
        "/spares/sales/",
        "/spares/sales/new/",
        "/spares/stock/",
    ):
        assert client.get(url).status_code == 200, url
    # beyond 3 months in all: the maintenance manager's approval (spares.long_extension)
    manager = f.UserFactory(provider=hw.provider, roles=[Role.MAINTENANCE_MANAGER])
    client.force_login(manager)
    client.post(f"/spares/loans/{loan.pk}/extend/", {"new_end": "2027-02-12", "reason": "延期"})
    loan.refresh_from_db()
    assert loan.end_date == D(2027, 2, 12)
    client.force_login(hw.keeper)
    client.post(
        "/spares/stock/receive/",
        {"part_type": hw.psu.pk, "serial_number": "P-9", "location": hw.shelf.pk},
    )
    assert "P-9" in client.get("/spares/stock/").content.decode()


def test_sale_steps_from_the_web(client, hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH))
    client.force_login(hw.keeper)
    response = client.post(
        "/spares/sales/new/",
        {"customer": hw.customer.pk, "request_text": "主控板 1 块"},
        follow=True,
    )
    pk = response.context["order"].pk
    client.post(
        f"/spares/sales/{pk}/quote/",
        {"quote-proposal": "主控板", "quote-lines": "FSU-MB-01 1 3200"},
    )
    client.post(f"/spares/sales/{pk}/agree/", {"agree-note": ""})
    page = client.get(f"/spares/sales/{pk}/").content.decode()
    assert "客户已同意" in page and "3200.00" in page


def test_repair_list_sorts_counts_and_exports(client, world):
    hw, repair, _loan = world
    later = register_repair(
        asset=hw.asset, fault_description="电源故障", received_on=D(2026, 10, 9), actor=hw.keeper
    )
    client.force_login(hw.keeper)
    page = client.get("/repairs/?sort=received").content.decode()
    assert "共 2 条" in page
    assert page.index(repair.number) < page.index(later.number)
    page = client.get("/repairs/?sort=-received").content.decode()
    assert page.index(later.number) < page.index(repair.number)
    export = client.get("/repairs/?sort=-received&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "返修单"
    assert [row[0] for row in rows[1:]] == [later.number, repair.number]


def test_the_api_exports_the_repairs_with_the_lists_filters(api, world):
    hw, repair, _loan = world
    api.force_authenticate(hw.keeper)
    answer = api.get("/api/repairs/export/", {"search": repair.number})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "返修单" and [r[0] for r in rows[1:]] == [repair.number]

"""Money bounds of a spare-sale quote (issue 11): a quote whose line amount or total would not
fit is refused on the line's field with nothing stored, and quote lines already stored too
large are repaired by the data migration so the sales list answers again."""

import datetime as dt
import importlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from weibao.core.models import ChangeLog
from weibao.spares.models import SaleOrder, SaleQuote, SaleQuoteLine

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def keeper_api(api, hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH))
    api.force_authenticate(hw.keeper)
    return api


@pytest.fixture
def order_url(keeper_api, hw):
    order = keeper_api.post("/api/spare-sales/",
                            {"customer": hw.customer.pk, "request_text": "电源模块"},
                            format="json").json()  # fmt: skip
    return f"/api/spare-sales/{order['id']}"


def _quote(api, url, quantity, unit_price):
    line = {"part_number": "PSU-48V", "quantity": quantity, "unit_price": unit_price}
    return api.post(f"{url}/quote/", {"proposal": "电源", "lines": [line]}, format="json")


def test_a_quote_whose_amount_overflows_is_refused_on_the_line(keeper_api, order_url):
    answer = _quote(keeper_api, order_url, 100_000, "9999999999.99")
    assert answer.status_code == 400
    assert "999,999,999,999.99" in answer.json()["fields"]["lines.0.unit_price"][0]
    too_many = _quote(keeper_api, order_url, 2_000_000_000, "1.00")
    assert too_many.status_code == 400 and too_many.json()["fields"]["lines.0.quantity"]
    assert not SaleQuote.objects.exists()
    assert keeper_api.get("/api/spare-sales/").status_code == 200


def test_the_data_migration_reprices_overflowing_quote_lines(keeper_api, order_url, hw):
    assert _quote(keeper_api, order_url, 2, "860.00").status_code == 200
    quote = SaleQuote.objects.get()
    line = SaleQuoteLine.objects.get()
    SaleQuoteLine.objects.create(quote=quote, part_type=line.part_type, quantity=2_000_000,
                                 unit_price=Decimal("9999999999.99"))  # fmt: skip
    assert keeper_api.get("/api/spare-sales/").status_code == 500

    migration = importlib.import_module("weibao.spares.migrations.0002_repair_overflowing_quotes")
    assert migration.repair_quotes(apps) == 1

    listed = keeper_api.get("/api/spare-sales/")
    assert listed.status_code == 200
    assert listed.json()["results"][0]["quotes"][0]["total"] == "1720.00"
    event = ChangeLog.objects.get(kind="spares.data_repair",
                                  object_id=str(SaleOrder.objects.get().pk))  # fmt: skip
    assert "2000000 × 9999999999.99" in event.message

"""The queue exported to Excel: the rows the queue shows for the same filters, search and
order (every page), from the queue page and from `GET /api/tickets/export/`; a customer's
export holds their own tickets only, without the ladder or the engineer's name."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from weibao.sla.models import ClockState
from weibao.tickets.tests.test_queue import HOUR, NOW, _clock, _rows, _tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(frozen_clock):
    return frozen_clock(NOW)


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def queue(world, now):
    l1, l3, l2, _closed, _other = _tickets(
        world,
        {"number": "Q-L1", "level": "L1", "phenomenon": "视频平台中断"},
        {"number": "Q-L3", "level": "L3", "reported": NOW - 30 * HOUR, "phone": "13811112222"},
        {"number": "Q-L2", "level": "L2", "phenomenon": "视频丢失"},
        {"number": "Q-closed", "stage": "closed", "closed_at": NOW},
        {"number": "Q-B", "customer": world.customer_b, "site": world.site_b},
    )
    _clock(l1, NOW + 0.2 * HOUR)
    _clock(l2, NOW + 2 * HOUR)
    _clock(l3, NOW - 26 * HOUR, state=ClockState.BREACHED)


def test_the_queue_page_exports_exactly_the_rows_it_shows(client, world, queue):
    client.force_login(world.admin)
    cases = ({}, {"q": "视频"}, {"ordering": "level"}, {"ordering": "-number"}, {"state": "closed"})
    for params in cases:
        shown = _rows(client.get("/tickets/", params).content.decode())
        rows = _sheet(client.get("/tickets/export/", params))
        assert rows[0][:3] == ("工单号", "级别", "阶段")
        assert [row[0] for row in rows[1:]] == shown, params
    rows = _sheet(client.get("/tickets/export/"))
    assert [row[0] for row in rows[1:]] == ["Q-L3", "Q-L1", "Q-L2", "Q-B"]  # breached first
    header = rows[0]
    breached = dict(zip(header, rows[1], strict=True))
    assert breached["联系电话"] == "13811112222"
    assert breached["最近截止"].strftime("%Y-%m-%d %H:%M") == "2026-03-01 09:00"  # local time
    page = client.get("/tickets/", {"q": "视频"}).content.decode()
    assert 'href="/tickets/export/?q=%E8%A7%86%E9%A2%91"' in page  # the link keeps the filters


def test_the_api_exports_the_list_with_its_filters(api, world, queue):
    api.force_authenticate(world.admin)
    listed = [r["number"] for r in api.get("/api/tickets/", {"state": "open"}).json()["results"]]
    rows = _sheet(api.get("/api/tickets/export/", {"state": "open"}))
    assert [row[0] for row in rows[1:]] == listed
    rows = _sheet(api.get("/api/tickets/export/", {"ordering": "urgency", "level": "L1"}))
    assert [row[0] for row in rows[1:]] == ["Q-L1"]
    refused = api.get("/api/tickets/export/", {"ordering": "nonsense"})
    assert refused.status_code == 400 and "ordering" in refused.json()["fields"]
    assert api.get("/api/tickets/export/", {"engineer": "someone"}).status_code == 400


def test_a_customer_exports_only_their_own_tickets(client, api, world, queue):
    client.force_login(world.user_a)
    rows = _sheet(client.get("/tickets/export/", {"customer": world.customer_b.pk}))
    assert rows[1:] == []
    rows = _sheet(client.get("/tickets/export/"))
    assert sorted(row[0] for row in rows[1:]) == ["Q-L1", "Q-L2", "Q-L3", "Q-closed"]
    assert "下一步升级" not in rows[0] and "工程师" not in rows[0]
    api.force_authenticate(world.user_b)
    rows = _sheet(api.get("/api/tickets/export/", {"search": "Q-"}))
    assert [row[0] for row in rows[1:]] == ["Q-B"]


def test_the_export_needs_a_login(client, world):
    assert client.get("/tickets/export/").status_code == 302


def test_the_export_places_a_ticket_overdue_since_its_key_was_written_as_the_page_does(
    client, world, queue
):
    (late,) = _tickets(world, {"number": "Q-late", "level": "L4"})
    _clock(late, NOW - 3 * HOUR, at=NOW - 4 * HOUR)  # the key written while still in time
    client.force_login(world.admin)
    shown = _rows(client.get("/tickets/").content.decode())
    rows = _sheet(client.get("/tickets/export/"))
    assert [row[0] for row in rows[1:]] == shown == ["Q-L3", "Q-late", "Q-L1", "Q-L2", "Q-B"]

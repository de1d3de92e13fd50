"""The queue at scale (issue 12 #2): urgency order computed by the database (breached first,
the longest overdue on top, then the nearest deadline, level as tie-breaker), search by every
key, filters, keyset pages that show every ticket exactly once, the same through the API, and
the customer's 我的报修 paged and searchable but only their own."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from weibao.accounts.choices import Role
from weibao.contracts.policy import default_policy
from weibao.escalations.models import EscalationStep
from weibao.sla import urgency
from weibao.sla.models import Clock, ClockKind, ClockState
from weibao.testing import factories as f
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 2, 11, 0, tzinfo=SHANGHAI)
HOUR = dt.timedelta(hours=1)
POLICY = default_policy().to_dict()


@pytest.fixture
def now(frozen_clock):
    return frozen_clock(NOW)


def _tickets(world, *specs: dict) -> list[Ticket]:
    """Tickets written directly (no clocks, no ladder): the queue only reads them."""
    rows = []
    for spec in specs:
        spec = dict(spec)
        customer = spec.pop("customer", world.customer_a)
        rows.append(
            Ticket(
                customer=customer,
                site=spec.pop("site", world.site_a if customer == world.customer_a else None),
                channel="phone",
                request_type="fault",
                level=spec.pop("level", "L2"),
                stage=spec.pop("stage", "new"),
                fault_phenomenon=spec.pop("phenomenon", "摄像机无图像"),
                contact_name=spec.pop("contact", "钱值班员"),
                contact_phone=spec.pop("phone", "13900000000"),
                reported_at=spec.pop("reported", NOW - HOUR),
                policy=POLICY,
                **spec,
            )
        )
    return Ticket.objects.bulk_create(rows)


def _clock(ticket, due, *, state=ClockState.RUNNING, kind=ClockKind.PHONE_RESPONSE, at=None):
    """A clock written directly, and the ticket's urgency key refreshed as the clock services
    do (at `at`: a key written before the deadline passed, as the runner's tick may leave it)."""
    Clock.objects.create(
        ticket=ticket, kind=kind, budget_minutes=30, started_at=ticket.reported_at,
        due_at=due, state=state, breached_at=due if state == ClockState.BREACHED else None,
    )  # fmt: skip
    urgency.refresh([ticket], now=at)


def _step(ticket, due, **extra):
    EscalationStep.objects.create(
        ticket=ticket, level=ticket.level, after_minutes=60, target="field_engineer",
        due_at=due, **extra,
    )  # fmt: skip
    urgency.refresh([ticket])


def _numbers(api, **params) -> list[str]:
    response = api.get("/api/tickets/", params)
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def _page_numbers(client, **params) -> list[str]:
    response = client.get("/tickets/", params)
    assert response.status_code == 200
    return _rows(response.content.decode())


def _rows(page: str) -> list[str]:
    """The ticket numbers of the list's rows (not of the L1 banner), in order."""
    table = page[re.search(r'data-testid="(queue|portal-list)"', page).start() :]
    return re.findall(r">(Q-[\w-]+)</a>", table[: table.index("</table>")])


# --- urgency ------------------------------------------------------------------------------


def test_a_breached_l3_sorts_before_l1_tickets_still_in_time(client, world, now):
    l1, l3, l2 = _tickets(
        world,
        {"number": "Q-L1", "level": "L1"},
        {"number": "Q-L3", "level": "L3", "reported": NOW - 30 * HOUR},
        {"number": "Q-L2", "level": "L2"},
    )
    _clock(l1, NOW + 0.2 * HOUR)
    _step(l1, NOW + 0.1 * HOUR)
    _clock(l2, NOW + 2 * HOUR)
    _clock(l3, NOW - 26 * HOUR, state=ClockState.BREACHED)
    client.force_login(world.provider_user)

    assert _page_numbers(client) == ["Q-L3", "Q-L1", "Q-L2"]
    page = client.get("/tickets/").content.decode()
    row = page[page.index(">Q-L3</a>") :].split("</tr>")[0]
    assert "超时" in row  # the breached clock shows how late it is, not "—"


def test_overdue_tickets_come_longest_overdue_first_then_nearest_deadline_then_level(
    api, world, now
):
    rows = _tickets(
        world,
        *({"number": f"Q-{name}", "level": level} for name, level in [
            ("late-30m", "L4"), ("late-2h", "L3"), ("in-1h", "L3"), ("step-20m", "L4"),
            ("in-1h-l1", "L1"), ("none", "L1"), ("breached-1h", "L4"),
        ]),
    )  # fmt: skip
    late_30m, late_2h, in_1h, step_20m, in_1h_l1, _none, breached_1h = rows
    # running past its deadline: breached, not yet recorded — nor its key moved, as when the
    # deadline passed after the key was written and before the runner's tick
    _clock(late_30m, NOW - 0.5 * HOUR, at=NOW - HOUR)
    _clock(late_2h, NOW - 2 * HOUR, at=NOW - 3 * HOUR)
    _clock(in_1h, NOW + HOUR)
    _clock(in_1h_l1, NOW + HOUR)
    _step(step_20m, NOW + HOUR / 3)
    _step(step_20m, NOW - HOUR, fired_at=NOW - HOUR)  # fired: no longer a deadline
    _clock(breached_1h, NOW - HOUR, state=ClockState.BREACHED)
    _clock(breached_1h, NOW + 5 * HOUR, kind=ClockKind.REMOTE_RESPONSE)
    _clock(in_1h, NOW - 3 * HOUR, state=ClockState.MET, kind=ClockKind.REMOTE_RESPONSE)
    api.force_authenticate(world.provider_user)

    expected = ["Q-late-2h", "Q-breached-1h", "Q-late-30m", "Q-step-20m", "Q-in-1h-l1",
                "Q-in-1h", "Q-none"]  # fmt: skip
    assert _numbers(api, ordering="urgency") == expected


# --- search and filters -------------------------------------------------------------------


@pytest.fixture
def searchable(world, now):
    other_site = f.SiteFactory(customer=world.customer_a, name="鼓楼监控中心", code="GL-07")
    world.customer_a.code = "HDTX"
    world.customer_a.save()
    return _tickets(
        world,
        {"number": "Q-2026-0001", "phone": "13812345678", "contact": "王工",
         "phenomenon": "部分端局与监控中心通讯中断"},
        {"number": "Q-2026-0002", "site": other_site, "phenomenon": "存储服务器硬盘告警"},
        {"number": "Q-2026-0003", "customer": world.customer_b, "site": world.site_b,
         "phenomenon": "传输路由不通", "contact": "赵主任", "phone": "02587654321"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-0002", ["Q-2026-0002"]),  # ticket number
        ("12345", ["Q-2026-0001"]),  # caller phone
        ("王工", ["Q-2026-0001"]),  # contact name
        ("鼓楼", ["Q-2026-0002"]),  # site name
        ("gl-07", ["Q-2026-0002"]),  # site code, any case
        ("乙客户", ["Q-2026-0003"]),  # customer name
        ("hdtx", ["Q-2026-0001", "Q-2026-0002"]),  # customer code
        ("通讯中断", ["Q-2026-0001"]),  # a Chinese substring of the phenomenon
        ("硬盘", ["Q-2026-0002"]),  # two characters
        ("no such thing", []),
    ],
)
def test_search_finds_tickets_by_each_key(api, world, searchable, text, expected):
    api.force_authenticate(world.provider_user)
    assert sorted(_numbers(api, search=text)) == expected


def test_the_queue_page_searches_by_a_chinese_substring(client, world, searchable):
    client.force_login(world.provider_user)
    assert _page_numbers(client, q="监控中心通讯") == ["Q-2026-0001"]


def test_filters_by_stage_level_customer_site_dates_and_state(api, world, now):
    engineer = f.UserFactory(provider=world.provider_user.provider, roles=[Role.ENGINEER])
    _tickets(
        world,
        {"number": "Q-new-L1", "level": "L1"},
        {"number": "Q-phone-L3", "level": "L3", "stage": "phone_support",
         "assigned_engineer": engineer},
        {"number": "Q-old", "reported": NOW - 40 * 24 * HOUR},
        {"number": "Q-resolved", "stage": "resolved", "resolved_at": NOW},
        {"number": "Q-closed", "stage": "closed", "closed_at": NOW},
        {"number": "Q-b", "customer": world.customer_b, "site": world.site_b},
    )  # fmt: skip
    api.force_authenticate(world.admin)

    def found(**params):
        return sorted(_numbers(api, **params))

    assert found(state="open", stage="phone_support") == ["Q-phone-L3"]
    assert found(state="open", level="L1") == ["Q-new-L1"]
    assert found(state="open", customer=world.customer_b.pk) == ["Q-b"]
    assert found(state="open", site=world.site_b.pk) == ["Q-b"]
    assert found(state="resolved") == ["Q-resolved"]
    assert found(state="closed") == ["Q-closed"]
    assert len(found(state="all")) == 6
    assert len(found()) == 6  # the API lists every state unless told
    assert found(state="open", reported_to=(NOW - 30 * 24 * HOUR).date().isoformat()) == ["Q-old"]
    assert "Q-old" not in found(reported_from=NOW.date().isoformat())
    assert found(search="Q-closed", state="closed") == ["Q-closed"]  # closed is searchable
    assert found(engineer=engineer.pk) == ["Q-phone-L3"]


def test_mine_and_unassigned(api, client, world, now):
    engineer = f.UserFactory(provider=world.provider_user.provider, roles=[Role.ENGINEER])
    _tickets(
        world,
        {"number": "Q-mine", "assigned_engineer": engineer},
        {"number": "Q-nobody"},
        {"number": "Q-other", "assigned_engineer": world.provider_user},
    )
    api.force_authenticate(engineer)
    assert _numbers(api, engineer="mine") == ["Q-mine"]
    assert _numbers(api, engineer="unassigned") == ["Q-nobody"]
    client.force_login(engineer)
    assert _page_numbers(client, engineer="mine") == ["Q-mine"]


def test_closed_tickets_are_searchable_on_the_queue_page(client, world, now):
    _tickets(world, {"number": "Q-done", "stage": "closed", "closed_at": NOW})
    client.force_login(world.provider_user)
    assert _page_numbers(client, q="Q-done") == []  # the queue shows open work by default
    assert _page_numbers(client, q="Q-done", state="closed") == ["Q-done"]
    assert _page_numbers(client, q="Q-done", state="all") == ["Q-done"]


def test_bad_filters_answer_400_on_their_field(api, world):
    api.force_authenticate(world.provider_user)
    for params, field in [
        ({"engineer": "someone"}, "engineer"),
        ({"state": "lost"}, "state"),
        ({"ordering": "phone"}, "ordering"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"reported_from": "2026-13-01"}, "reported_from"),
        ({"page_size": "0"}, "page_size"),
    ]:
        response = api.get("/api/tickets/", params)
        assert response.status_code == 400, params
        assert field in response.json()["fields"], params


# --- keyset pages -------------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["urgency", "-reported_at", "reported_at", "number",
                                      "-number", "level", "-level"])  # fmt: skip
def test_keyset_pages_return_every_ticket_exactly_once(api, world, now, ordering):
    rows = _tickets(
        world,
        *({"number": f"Q-{i:02d}", "level": f"L{i % 4 + 1}",
           "reported": NOW - (i % 3) * HOUR} for i in range(11)),
    )  # fmt: skip
    for i, ticket in enumerate(rows[:6]):
        _clock(ticket, NOW + (i % 2 - 0.5) * HOUR)  # ties on purpose
    api.force_authenticate(world.provider_user)

    seen, pages, url = [], [], "/api/tickets/"
    params = {"ordering": ordering, "page_size": 3}
    while url:
        body = api.get(url, params).json()
        assert body["count"] == 11
        pages.append([row["number"] for row in body["results"]])
        seen += pages[-1]
        url, params = body["next"], None
    assert sorted(seen) == [f"Q-{i:02d}" for i in range(11)]
    assert len(pages) == 4
    assert seen == _numbers(api, ordering=ordering, page_size=50)  # same order as one page
    back = api.get(body["previous"]).json()  # from the last page back to the third
    assert [row["number"] for row in back["results"]] == pages[2]


def test_the_queue_page_pages_by_50_with_a_total(client, world, now):
    _tickets(world, *({"number": f"Q-{i:03d}"} for i in range(53)))
    client.force_login(world.provider_user)
    first = client.get("/tickets/", {"ordering": "number"}).content.decode()
    assert "共 53 张工单" in first
    assert len(_rows(first)) == 50
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get("/tickets/" + link).content.decode()
    assert _rows(second) == ["Q-050", "Q-051", "Q-052"]
    assert 'rel="prev"' in second
    # htmx refreshes only the results, with the same filters and page
    rows = client.get("/tickets/" + link, headers={"HX-Request": "true",
                                                  "HX-Target": "queue-results"})  # fmt: skip
    assert "<h1>" not in rows.content.decode()
    assert f'hx-get="/tickets/{link}"'.replace("&", "&amp;") in rows.content.decode()


# --- the customer -------------------------------------------------------------------------


def test_the_customer_pages_their_own_requests_and_searches_only_them(client, api, world, now):
    _tickets(
        world,
        *({"number": f"Q-A{i:03d}", "stage": "closed" if i % 2 else "new"} for i in range(205)),
        {"number": "Q-B001", "customer": world.customer_b, "site": world.site_b},
    )
    client.force_login(world.user_a)
    page = client.get("/tickets/").content.decode()
    assert "共 205 张工单" in page  # not silently cut at 200
    assert 'rel="next"' in page
    assert _page_numbers(client, q="A204") == ["Q-A204"]
    assert _page_numbers(client, q="Q-B001") == []
    assert _page_numbers(client, q="摄像机", ordering="number")[:2] == ["Q-A000", "Q-A001"]
    api.force_authenticate(world.user_a)
    assert _numbers(api, search="Q-B") == []
    assert api.get("/api/tickets/", {"customer": world.customer_b.pk}).json()["count"] == 0
    assert urlsplit(api.get("/api/tickets/").json()["next"]).query.startswith("cursor=")


def test_the_queue_page_reads_in_english(client, settings, world, now):
    client.force_login(world.provider_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/tickets/", {"state": "all"}).content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    for _code, name in settings.LANGUAGES:
        page = page.replace(name, "")
    data_values = (world.customer_a.name, world.customer_b.name, str(world.provider_user))
    for data in data_values:  # names are data: they stay as typed
        page = page.replace(data, "")
    assert "0 tickets in all" in page
    assert not re.findall(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+", page)


# --- cost -----------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    """The statements one request of `path` runs (the fewer of two tries: a session or sign-in
    record touched now and then is not the list's cost)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _try in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(captured))
    return min(counts)


def test_a_page_of_50_costs_the_queries_of_a_page_of_5(api, client, world, now):
    """No query per row: the list reads its rows with their customer, site and engineer in
    one statement, for the API (light rows) and the page alike."""
    engineer = f.UserFactory(provider=world.provider_user.provider, roles=[Role.ENGINEER])
    other_site = f.SiteFactory(customer=world.customer_a, name="鼓楼监控中心")
    rows = _tickets(
        world,
        *({"number": f"Q-{i:03d}", "assigned_engineer": engineer if i % 2 else None,
           "site": other_site if i % 3 else world.site_a} for i in range(50)),
        *({"number": f"Q-b{i}", "customer": world.customer_b, "site": world.site_b,
           "assigned_engineer": engineer} for i in range(5)),
    )  # fmt: skip
    for i, ticket in enumerate(rows):
        _clock(ticket, NOW + (i - 20) * HOUR / 4)
        _step(ticket, NOW + i * HOUR / 3)
    api.force_authenticate(world.provider_user)
    client.force_login(world.provider_user)

    costs = {}
    for customer, size in ((world.customer_a, 50), (world.customer_b, 5)):
        query = f"?customer={customer.pk}"
        assert len(api.get(f"/api/tickets/{query}").json()["results"]) == size
        assert len(_rows(client.get(f"/tickets/{query}").content.decode())) == size
        costs[size] = (
            _queries(client, f"/api/tickets/{query}"),
            _queries(client, f"/tickets/{query}"),
        )
    assert costs[50] == costs[5]
    api_cost, page_cost = costs[50]
    assert api_cost <= 12 and page_cost <= 16
    row = api.get("/api/tickets/", {"customer": world.customer_a.pk}).json()["results"][0]
    assert "allowed_moves" not in row and "clocks" not in row  # those are the detail's
    assert row["next_due"] and row["next_step"] and row["customer_name"] == "甲客户"
    api.force_authenticate(world.user_a)
    row = api.get("/api/tickets/").json()["results"][0]
    assert row["next_due"] and row["next_step"] is None  # the ladder is internal


# --- the total and the filter form ---------------------------------------------------------


def test_the_total_is_exact_up_to_the_cap_and_more_than_it_beyond(
    api, client, settings, world, now
):
    settings.TICKET_QUEUE_COUNT_CAP = 3
    _tickets(world, *({"number": f"Q-{i}"} for i in range(3)))
    client.force_login(world.provider_user)
    api.force_authenticate(world.provider_user)
    assert "共 3 张工单" in client.get("/tickets/").content.decode()
    body = api.get("/api/tickets/").json()
    assert (body["count"], body["count_capped"]) == (3, False)

    _tickets(world, {"number": "Q-3"})
    page = client.get("/tickets/").content.decode()
    assert "超过 3 张工单" in page and "共 3 张工单" not in page
    assert len(_rows(page)) == 4  # the rows are all there, only the total stops counting
    body = api.get("/api/tickets/").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, True, 4)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "More than 3 tickets" in client.get("/tickets/").content.decode()


def test_the_customer_filter_is_a_type_ahead_in_the_page_not_in_each_refresh(client, world, now):
    """The customer box lists no customers in the page (a desk may serve hundreds): its
    suggestions come as one types (tickets:queue_customers); a chosen label, a code or an id
    filters the queue and stays in the box; the 30-second refresh renders the rows alone."""
    _tickets(
        world,
        {"number": "Q-A1"},
        {"number": "Q-B1", "customer": world.customer_b, "site": world.site_b},
    )
    client.force_login(world.admin)
    page = client.get("/tickets/").content.decode()
    assert f">{world.customer_b.name}</option>" not in page  # no <option> per customer
    assert 'list="queue-customer-choices"' in page

    suggest = client.get("/tickets/customers/", {"customer": "乙"}).content.decode()
    label = f"{world.customer_b.name} · {world.customer_b.code}"
    assert f'<option value="{label}">' in suggest
    assert world.customer_a.name not in suggest
    everyone = client.get("/tickets/customers/").content.decode()  # the first focus
    assert world.customer_a.name in everyone and world.customer_b.name in everyone

    for chosen in (label, world.customer_b.code, str(world.customer_b.pk)):
        answer = client.get("/tickets/", {"customer": chosen}).content.decode()
        assert _rows(answer) == ["Q-B1"], chosen
        assert f'value="{label}"' in answer  # the box shows the customer chosen
    unknown = client.get("/tickets/", {"customer": "没有这个客户"})
    assert unknown.status_code == 200 and _rows(unknown.content.decode()) == []
    refresh = client.get("/tickets/", {"customer": label},
                         headers={"HX-Request": "true", "HX-Target": "queue-results"})  # fmt: skip
    assert _rows(refresh.content.decode()) == ["Q-B1"]
    assert 'name="customer"' not in refresh.content.decode()


def test_the_customer_suggestions_are_the_desks_own(client, world):
    """Only the customers the reader sees are suggested, and a customer's user gets none."""
    other = f.CustomerFactory(provider=f.ProviderFactory(name="别家维保公司"), name="别家客户")
    client.force_login(world.provider_user)
    suggest = client.get("/tickets/customers/", {"customer": "客户"}).content.decode()
    assert world.customer_a.name in suggest and other.name not in suggest
    client.force_login(world.user_a)
    assert client.get("/tickets/customers/").status_code == 404

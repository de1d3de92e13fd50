"""Each role opens Weibao to its own work (issue 12 #1), under a menu of only what it may use:
no menu item answers 403, at most 8 top-level entries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.fieldservice.testing import setup_field
from weibao.testing import factories as f
from weibao.web.context_processors import MAX_TOP_ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(desk):
    return setup_field(desk)


@pytest.fixture
def people(desk, field):
    """One user per role (the desk's, a spare keeper, the customer's staff and leader) and an
    administrator."""
    provider = desk.agent.provider
    return {
        Role.SUPPORT_AGENT: desk.agent,
        Role.ENGINEER: desk.engineer,
        Role.MAINTENANCE_MANAGER: desk.manager,
        Role.SERVICE_OFFICE_MANAGER: desk.office,
        Role.SUBCENTER_EXPERT: desk.expert,
        Role.CENTER_HEAD: desk.head,
        Role.SERVICE_CENTER_GM: desk.gm,
        Role.ACCOUNT_MANAGER: desk.account,
        Role.SPARE_KEEPER: f.UserFactory(provider=provider, roles=[Role.SPARE_KEEPER]),
        Role.CUSTOMER_STAFF: field.signer,
        Role.CUSTOMER_LEADER: field.leader,
        "admin": f.UserFactory(provider=provider, is_superuser=True, is_staff=True),
    }


def home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, name: str) -> str:
    """The HTML of one home section (by its data-testid)."""
    match = re.search(rf'<section class="home-section" data-testid="{name}">(.*?)\n</section>',
                      page, re.S)  # fmt: skip
    assert match, f"no section {name}"
    return match.group(1)


def later(frozen_clock, **delta):
    return frozen_clock(clock.now() + dt.timedelta(**delta))


def test_agent_sees_the_breached_unassigned_ticket_first_with_its_overdue_in_days(
    desk, frozen_clock
):
    ticket = desk.open(level="L3", fault_phenomenon="端局门禁离线")
    later(frozen_clock, days=3)
    l1 = desk.open(level="L1")

    page = home(desk.agent)
    agent = section(page, "home-agent")
    assert ticket.number in agent and l1.number in agent
    assert re.search(r'data-testid="breached-count"><b>1</b>', agent)
    assert re.search(r'data-testid="unassigned-count"><b>2</b>', agent)
    assert re.search(r"超时 2 天 \d+ 小时", agent)  # not 超时 71:…:…
    assert 'data-testid="l1-banner"' in page


def test_engineer_sees_todays_visit_inspection_and_assigned_tickets(desk, field):
    from weibao.inspections.choices import VisitKind
    from weibao.inspections.models import InspectionVisit

    visit = field.visit()
    today = clock.today()
    InspectionVisit.objects.create(
        customer=desk.customer, contract=desk.contract, site=desk.site,
        kind=VisitKind.values[0], plan_key="home-test", contract_year=1,
        period_start=today, period_end=today, planned_date=today, generated_date=today,
        engineer=desk.engineer,
    )  # fmt: skip

    engineer = section(home(desk.engineer), "home-engineer")
    visits, rest = engineer.split('data-testid="today-inspections"')
    inspections, mine = rest.split('data-testid="my-tickets"')
    assert visit.ticket.number in visits
    assert desk.site.name in inspections
    assert visit.ticket.number in mine


def test_manager_sees_breaches_fired_steps_load_dispatch_and_failed_notifications(
    desk, field, frozen_clock
):
    from weibao.notifications.models import Notification

    visit = field.visit()
    waiting = field.onsite_ticket(level="L3")
    later(frozen_clock, days=2)
    step = visit.ticket.escalation_steps.first()
    step.fired_at = clock.now()
    step.save()
    Notification.objects.create(
        kind="ticket.breached", subject="短信网关拒绝：工单超时", dedupe_key="home-test",
        channel="sms", address="13900000009", customer=desk.customer, state="failed",
        last_error="gateway said no",
    )  # fmt: skip

    board = section(home(desk.manager), "home-manager")
    clocks, rest = board.split('data-testid="board-steps"')
    steps, rest = rest.split('data-testid="board-load"')
    load, rest = rest.split('data-testid="board-dispatch"')
    dispatch, failed = rest.split('data-testid="board-failed"')
    assert visit.ticket.number in clocks and "超时" in clocks
    assert visit.ticket.number in steps
    assert re.search(rf"{desk.engineer.get_full_name() or desk.engineer.username}</td>"
                     r'<td class="num">2</td>', load)  # fmt: skip
    assert waiting.number in dispatch
    assert f"/fieldservice/tickets/{waiting.pk}/dispatch/" in dispatch
    assert "短信网关拒绝：工单超时" in failed and "gateway said no" in failed
    assert "/notifications/?state=failed" in failed


def test_keeper_sees_the_spares_board_with_a_part_in_repair(people, desk):
    from weibao.repairs.services import register_repair

    asset = f.AssetFactory(site=desk.site, serial_number="SN-HOME-1")
    repair = register_repair(
        asset=asset, fault_description="主板不上电", received_on=clock.today(),
        actor=people[Role.SPARE_KEEPER],
    )  # fmt: skip
    board = section(home(people[Role.SPARE_KEEPER]), "home-keeper")
    assert 'data-testid="board-repairs"' in board
    assert repair.number in board and "SN-HOME-1" in board


def test_account_manager_sees_open_complaints_callbacks_due_and_satisfaction(desk, frozen_clock):
    from weibao.feedback import services as feedback
    from weibao.tickets import services
    from weibao.tickets.models import ResolutionCause

    complaint = feedback.record_complaint(
        actor=desk.agent, customer=desk.customer, text="工程师迟到", complainant="冯处长",
        channel="phone",
    )  # fmt: skip
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    cause = ResolutionCause.objects.get(code="software_fault")
    services.resolve(ticket, cause=cause, fix="远程重启", actor=desk.engineer)
    later(frozen_clock, days=5)

    account = section(home(desk.account), "home-account")
    assert complaint.number in account and re.search(r"超时 \d+ 天 \d+ 小时", account)
    assert ticket.number in account and re.search(r"已解决 \d+ 天 \d+ 小时", account)
    assert 'data-testid="satisfaction"' in account


def test_customer_home_starts_with_the_report_button_then_requests_and_todo(
    desk, field, frozen_clock
):
    from weibao.tickets import services
    from weibao.tickets.models import ResolutionCause

    visit = field.visit()
    done = desk.open(level="L3", fault_phenomenon="温湿度数据不刷新")
    services.move(done, "start_phone", actor=desk.engineer)
    cause = ResolutionCause.objects.get(code="software_fault")
    services.resolve(done, cause=cause, fix="远程重启", actor=desk.engineer)

    page = home(field.signer)
    main = page.split('<main class="page">', 1)[1]
    first = re.search(r'<a [^>]*href="(/[^"]*)"', main.split("</h1>", 1)[1]).group(1)
    assert first == "/tickets/new/"  # 报修 comes first
    requests = section(page, "home-customer-requests")
    assert visit.ticket.number in requests and "现场支持" in requests and "预计到场" in requests
    todo = section(page, "home-customer-todo")
    assert done.number in todo and "满意度调查" in todo
    # none of the provider's inside: people, ladder, board, outbox
    people = (desk.agent.username, desk.engineer.username, desk.manager.username)
    for internal in ("home-agent", "home-manager", "升级", "发件箱", "工程师负荷", *people):
        assert internal not in main, internal


def test_customer_leader_also_sees_reports_and_debriefs(field):
    page = home(field.leader)
    assert page.index("home-customer-requests") < page.index("home-customer-todo")
    leader = section(page, "home-customer-leader")
    assert "运行分析报告" in leader and "领导汇报记录" in leader


def test_a_user_with_two_roles_gets_both_homes(desk):
    from weibao.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=desk.agent, role=Role.SPARE_KEEPER)
    page = home(desk.agent)
    assert page.index("home-agent") < page.index("home-keeper")


def menu(page: str) -> tuple[int, list[str]]:
    """The rendered main menu: its number of top-level entries and every URL it links."""
    nav = page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    top = re.sub(r'<div class="navmenu">.*?</div>', "", nav, flags=re.S)
    return top.count("<details") + top.count("<a "), re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("role", [*Role.values, "admin"])
def test_menu_has_at_most_8_top_items_and_none_answers_403(people, role):
    client = Client()
    client.force_login(people[role])
    top, urls = menu(client.get("/").content.decode())
    assert 1 <= top <= MAX_TOP_ITEMS
    assert urls[0] == "/" and len(urls) == len(set(urls)) > 1
    for url in urls:
        status = client.get(url).status_code
        assert status != 403, f"{role}: {url} answers 403"
        assert status < 400, f"{role}: {url} answers {status}"


def _menu_urls(user) -> set[str]:
    return set(menu(home(user))[1])


def test_menus_follow_the_permission_matrix(people):
    assert "/inspections/mine/" not in _menu_urls(people[Role.SUPPORT_AGENT])
    assert "/inspections/mine/" in _menu_urls(people[Role.ENGINEER])
    assert "/fieldservice/today/" in _menu_urls(people[Role.ENGINEER])
    assert "/notifications/" in _menu_urls(people[Role.MAINTENANCE_MANAGER])
    assert "/notifications/" not in _menu_urls(people[Role.SUPPORT_AGENT])
    assert "/repairs/board/" in _menu_urls(people[Role.SPARE_KEEPER])
    assert "/feedback/callbacks/" in _menu_urls(people[Role.ACCOUNT_MANAGER])
    customer = _menu_urls(people[Role.CUSTOMER_STAFF])
    assert {"/tickets/new/", "/feedback/portal/"} <= customer
    assert not customer & {"/notifications/", "/repairs/board/", "/admin/", "/plans/"}


def test_durations_read_in_days_and_hours():
    from weibao.core.durations import countdown, duration

    now = clock.now()
    overdue = dt.timedelta(days=101, hours=8, minutes=21)
    assert countdown(now - overdue, now) == "超时 101 天 8 小时"
    assert countdown(now + dt.timedelta(minutes=5, seconds=3), now) == "剩余 0:05:03"
    assert duration(dt.timedelta(hours=3, minutes=5)) == "3 小时 5 分钟"
    assert duration(now - dt.timedelta(minutes=12), now) == "12 分钟"


def test_admin_is_titled_as_weibaos_administration(people):
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/admin/").content.decode()
    assert "维保服务台管理" in page and "数据与配置" in page
    assert "Django 管理" not in page and "Django administration" not in page

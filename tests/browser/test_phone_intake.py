"""Phone intake in under 30 seconds (issue 12 #3): an agent logs a call start to finish with
the keyboard — the caller's number finds the contact and fills name, customer and site — and
the steps are counted."""

import pytest

from tests.browser.conftest import login
from weibao.testing.factories import PASSWORD, ContactFactory, SiteFactory
from weibao.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    """A transactional test flushes the seeded permission matrix and criteria: put them back."""
    import importlib

    from django.apps import apps

    from weibao.accounts.models import RoleCapability
    from weibao.tickets import seed
    from weibao.tickets.models import ClassificationCriterion

    if not RoleCapability.objects.exists():
        seeding = "weibao.accounts.migrations.0003_seed_role_capabilities"
        importlib.import_module(seeding).seed(apps, None)
    RoleCapability.forget_cache()
    if not ClassificationCriterion.objects.exists():
        seed.load(apps)


class Steps:
    """The user's actions, counted: a group of keys typed, a key pressed, a click."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def type(self, text: str) -> None:
        self.count += 1
        self.page.keyboard.type(text, delay=20)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)


def _no_errors_shown(page) -> None:
    assert page.locator("#ticket-form .errorlist").count() == 0


def test_agent_logs_a_known_callers_call_with_the_keyboard_in_five_steps(page, desk, seeded):
    from weibao.core import clock

    clock.set_now(None)  # the live server and the browser share real time
    ContactFactory(customer=desk.customer, name="钱值班员", phone="139-0000-0002")
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/new/")
    steps = Steps(page)
    assert page.evaluate("document.activeElement.name") == "contact_phone"

    steps.type("13900000002")  # the number the phone shows
    page.wait_for_selector("[data-testid=caller-found]")
    assert page.input_value("#id_contact_name") == "钱值班员"
    assert page.input_value("#id_customer") == str(desk.customer.pk)
    assert page.input_value("#id_site") == f"{desk.site.code} · {desk.site.name}"
    _no_errors_shown(page)

    steps.click("label:has-text('摄像机故障')")
    page.wait_for_selector("[data-testid=suggested-level]")
    assert "L3" in page.inner_text("[data-testid=suggested-level]")
    steps.click("#id_fault_phenomenon")
    steps.type("3 号端局摄像机无图像")
    _no_errors_shown(page)
    steps.press("Enter")

    page.wait_for_selector("[data-testid=ticket-title]")
    assert steps.count <= 6, steps.count
    ticket = Ticket.objects.get()
    assert (ticket.customer, ticket.site, ticket.level) == (desk.customer, desk.site, "L3")
    assert (ticket.contact_name, ticket.contact_phone) == ("钱值班员", "139-0000-0002")
    assert (ticket.channel, ticket.fault_phenomenon) == ("phone", "3 号端局摄像机无图像")


def test_last_digits_a_pick_and_a_typed_site_among_28(page, desk, seeded):
    from weibao.core import clock

    clock.set_now(None)
    for n in range(27):
        SiteFactory(customer=desk.customer, name=f"端局{n:02d}", code=f"EO-{n:02d}")
    ContactFactory(customer=desk.customer, name="钱值班员", phone="13900000002")
    ContactFactory(customer=desk.customer, name="孙工", phone="13800000002")
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/new/")
    steps = Steps(page)

    steps.type("0002")  # the caller gives the last four digits
    page.wait_for_selector("[data-testid=caller-choices]")
    steps.press("Tab")  # to the first caller offered
    first = page.evaluate("document.activeElement.textContent")
    steps.press("Enter")
    page.wait_for_selector("#id_site:focus")
    name, number = ("孙工", "13800000002") if "孙工" in first else ("钱值班员", "13900000002")
    assert page.input_value("#id_contact_name") == name
    assert page.input_value("#id_contact_phone") == number
    assert page.locator("#site-choices option").count() == 28
    _no_errors_shown(page)

    steps.type("EO-13")  # the site's code (its name works too)
    steps.press("Tab")  # on to the asset …
    steps.press("Tab")  # … and the phenomenon
    steps.type("端局13 全部离线")
    steps.press("Tab")  # the first criterion
    steps.press("Space")
    _no_errors_shown(page)
    page.click("button.primary")
    steps.count += 1

    page.wait_for_selector("[data-testid=ticket-title]")
    assert steps.count <= 12, steps.count
    ticket = Ticket.objects.get()
    assert ticket.site.code == "EO-13" and ticket.level == "L1"
    assert (ticket.contact_name, ticket.contact_phone) == (name, number)

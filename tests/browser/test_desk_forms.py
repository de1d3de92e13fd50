"""Nothing typed is lost (issue 9 #7): on the ticket page a refused level change, pause and
resolution come back with what was typed and the error at its field."""

import pytest

from tests.browser.conftest import login
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def matrix():
    """A transactional test flushes the seeded permission matrix: put the defaults back."""
    import importlib

    from django.apps import apps

    from weibao.accounts.models import RoleCapability

    if not RoleCapability.objects.exists():
        seeding = "weibao.accounts.migrations.0003_seed_role_capabilities"
        importlib.import_module(seeding).seed(apps, None)
    RoleCapability.forget_cache()


def test_refused_ticket_forms_keep_what_was_typed(page, desk, matrix):
    from weibao.core import clock
    from weibao.tickets import services

    clock.set_now(None)
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.agent)
    login(page, desk.agent.username, PASSWORD)
    page.goto(f"{page.base_url}/tickets/{ticket.pk}/")

    # level change: L1 chosen, reason left blank
    form = page.locator("[data-testid=level-form]")
    form.locator("select").select_option("L1")
    form.locator("button").click()
    form = page.locator("[data-testid=level-form]")
    assert "调整级别必须说明原因" in form.inner_text()
    assert form.locator("select").input_value() == "L1"

    # resolution: fix and prevention typed, no cause chosen
    form = page.locator("[data-testid=resolve-form]")
    form.locator("textarea[name=resolve-fix]").fill("更换采集板并重启服务")
    form.locator("textarea[name=resolve-prevention]").fill("每季度检查采集板")
    form.locator("button").click()
    form = page.locator("[data-testid=resolve-form]")
    assert "请选择故障原因" in form.inner_text()
    assert form.locator("textarea[name=resolve-fix]").input_value() == "更换采集板并重启服务"
    assert form.locator("textarea[name=resolve-prevention]").input_value() == "每季度检查采集板"

    # consent: the method chosen, the person's name missing
    form = page.locator("[data-testid=consent-form]")
    form.locator("select").select_option("email")
    form.locator("button").click()
    form = page.locator("[data-testid=consent-form]")
    assert "请填写同意人" in form.inner_text()
    assert form.locator("select").input_value() == "email"

    ticket.refresh_from_db()
    assert (ticket.level, ticket.stage, ticket.remote_consent_at) == ("L2", "phone_support", None)

"""Phone intake in under 30 seconds (issue 12 #3): the caller's number first finds the
contact and fills name, customer and site; the site and asset boxes suggest as one types;
refreshes show choices, never errors; the agent's keyboard goes phone → name → site →
asset → phenomenon → criteria/level → submit."""

import re

import pytest

from weibao.testing.factories import AssetFactory, ContactFactory, SiteFactory
from weibao.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _caller(client, **typed):
    return client.get("/tickets/new/caller/", typed, headers={"HX-Request": "true"})


def _value(page: str, element_id: str) -> str:
    tag = re.search(rf'<(?:input|select)[^>]*id="{element_id}"[^>]*>', page).group(0)
    if tag.startswith("<select"):
        start = page.index(tag)
        options = page[start : page.index("</select>", start)]
        return re.search(r'<option value="([^"]*)"[^>]*selected', options).group(1)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def test_the_form_starts_with_the_callers_number_and_keeps_the_call_order(client, desk):
    client.force_login(desk.agent)
    page = client.get("/tickets/new/").content.decode()
    order = [
        page.index(f'name="{name}"')
        for name in ("contact_phone", "contact_name", "site", "asset", "fault_phenomenon")
    ]
    assert order == sorted(order)
    assert (
        page.index('name="criteria"') < page.index('name="level"') < page.index('class="primary"')
    )
    phone = re.search(r'<input[^>]*name="contact_phone"[^>]*>', page).group(0)
    assert "autofocus" in phone and 'type="tel"' in phone
    assert "<script>" not in page  # the CSP allows no inline script


def test_typing_the_last_digits_fills_the_callers_name_customer_and_only_site(client, desk):
    ContactFactory(customer=desk.customer, name="钱值班员", phone="139-0000-0002")
    client.force_login(desk.agent)
    page = _caller(client, contact_phone="0002", contact_name="", customer="").content.decode()
    assert "钱值班员" in page and 'data-testid="caller-found"' in page
    assert _value(page, "id_contact_name") == "钱值班员"
    assert _value(page, "id_customer") == str(desk.customer.pk)
    assert _value(page, "id_site") == f"{desk.site.code} · {desk.site.name}"
    assert 'hx-swap-oob="true"' in page
    assert "errorlist" not in page


def test_several_callers_with_that_ending_are_offered_and_the_pick_fills_the_whole_number(
    client, desk
):
    ContactFactory(customer=desk.customer, name="钱值班员", phone="13900000002")
    sun = ContactFactory(customer=desk.customer, name="孙工", phone="13800000002")
    client.force_login(desk.agent)
    page = _caller(client, contact_phone="0002").content.decode()
    assert 'data-testid="caller-choices"' in page
    assert "钱值班员" in page and "孙工" in page
    assert "id_contact_name" not in page  # nothing filled until one is picked
    page = _caller(client, contact_phone="0002", pick=sun.pk).content.decode()
    assert _value(page, "id_contact_name") == "孙工"
    assert _value(page, "id_contact_phone") == "13800000002"
    assert 'data-focus="#id_fault_phenomenon"' in page


def test_an_unknown_number_refuses_nothing_and_takes_back_what_it_had_filled(client, desk):
    qian = ContactFactory(customer=desk.customer, name="钱值班员", phone="13900000002")
    client.force_login(desk.agent)
    page = _caller(client, contact_phone="55501234").content.decode()
    assert 'data-testid="caller-unknown"' in page and "errorlist" not in page
    # "0002" had found 钱值班员; typing on, the number is someone else's
    typed = {"contact_phone": "00021", "contact": qian.pk, "customer": desk.customer.pk}
    page = _caller(client, **typed, contact_name="钱值班员").content.decode()
    assert _value(page, "id_contact_name") == "" and _value(page, "id_customer") == ""
    page = _caller(client, **typed, contact_name="钱女士").content.decode()
    assert "id_contact_name" not in page  # changed by the agent: kept


def test_the_refresh_after_choosing_a_customer_shows_choices_not_errors(client, desk, world):
    for n in range(28):
        SiteFactory(customer=desk.customer, name=f"端局{n:02d}", code=f"EO-{n:02d}")
    client.force_login(desk.agent)
    page = client.get(
        "/tickets/new/options/",
        {"customer": desk.customer.pk, "site": "", "fault_phenomenon": "", "level": ""},
        headers={"HX-Request": "true", "HX-Trigger-Name": "customer"},
    ).content.decode()
    assert "errorlist" not in page and "必填" not in page
    assert page.count("<option") == 29 and "EO-27 · 端局27" in page
    # another customer chosen: the site typed for the one before is emptied, not refused
    page = client.get(
        "/tickets/new/options/",
        {"customer": world.customer_a.pk, "site": f"{desk.site.code} · {desk.site.name}"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "customer"},
    ).content.decode()
    assert "errorlist" not in page and _value(page, "id_site") == ""


def test_the_asset_suggestions_follow_the_site_typed(client, desk):
    asset = AssetFactory(site=desk.site, name="监控主机", serial_number="SN-1")
    AssetFactory(site=SiteFactory(customer=desk.customer), name="别处主机")
    client.force_login(desk.agent)
    page = client.get(
        "/tickets/new/options/",
        {"customer": desk.customer.pk, "site": desk.site.code},
        headers={"HX-Request": "true", "HX-Trigger-Name": "site"},
    ).content.decode()
    assert f"{asset.name} · SN-1" in page and "别处主机" not in page


def test_a_call_logged_by_its_last_digits_keeps_the_whole_number_and_the_typed_site(client, desk):
    qian = ContactFactory(customer=desk.customer, name="钱值班员", phone="139 0000 0002")
    other = SiteFactory(customer=desk.customer, name="江宁端局", code="EO-07")
    client.force_login(desk.agent)
    response = client.post(
        "/tickets/new/",
        {"contact_phone": "0002", "contact": qian.pk, "contact_name": "钱值班员",
         "customer": desk.customer.pk, "site": "EO-07 · 江宁端局", "asset": "",
         "fault_phenomenon": "江宁端局全部摄像机离线", "level": "L2",
         "channel": "phone", "request_type": "fault"},
    )  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.customer, ticket.site) == (desk.customer, other)
    assert (ticket.contact_name, ticket.contact_phone) == ("钱值班员", "139 0000 0002")


def test_a_site_that_is_not_the_customers_is_refused_at_the_field_keeping_the_rest(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        "/tickets/new/",
        {"contact_phone": "13912345678", "contact_name": "新来电人",
         "customer": desk.customer.pk, "site": "不存在的机房", "fault_phenomenon": "黑屏",
         "level": "L3", "channel": "phone", "request_type": "fault"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "没有这个机房" in page
    assert "不存在的机房" in page and "新来电人" in page and "13912345678" in page
    assert not Ticket.objects.exists()


def test_the_intake_form_and_the_caller_found_read_in_english(client, desk, settings):
    ContactFactory(customer=desk.customer, name="钱值班员", phone="13900000002")
    client.force_login(desk.agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/tickets/new/").content.decode()
    assert "Caller&#x27;s number" in page and "Enter sends the form" in page
    page = _caller(client, contact_phone="0002").content.decode()
    assert re.search(r"Caller: 钱值班员 \([A-Za-z ]+\) · 华东通信", page), page

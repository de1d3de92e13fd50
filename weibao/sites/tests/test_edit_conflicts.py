"""Two people editing the same master data in the admin's change forms: the form carries the
version it was rendered from; a save made from an older version is answered with
"已被他人修改" and the other person's values, keeps what the user typed, and changes nothing."""

import re

import pytest
from django.test import Client

from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def open_form(client, obj):
    """The change form as the browser would post it back: its values and its version."""
    page = client.get(change_url(obj))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline in formset.formset.forms:
            for name in inline.fields:
                value = inline[name].value()
                data[inline.add_prefix(name)] = "" if value is None else value
    data["_version"] = re.search(r'name="_version" value="([0-9a-f]+)"', page.text).group(1)
    return data


@pytest.fixture
def editors(world):
    second = f.UserFactory(
        provider=world.provider_user.provider, is_superuser=True, is_staff=True, username="ed2"
    )
    one, two = Client(), Client()
    one.force_login(world.admin)
    two.force_login(second)
    return one, two


def test_a_stale_site_save_shows_the_other_persons_value_and_keeps_theirs(world, editors):
    one, two = editors
    first_form = open_form(one, world.site_a)
    second_form = open_form(two, world.site_a)

    saved = one.post(change_url(world.site_a), {**first_form, "name": "第一人改的名"})
    assert saved.status_code == 302

    answer = two.post(change_url(world.site_a), {**second_form, "name": "第二人改的名"})

    assert answer.status_code == 200
    text = answer.content.decode()
    assert "已被他人修改" in text
    other = answer.context["stale_values"]
    assert {"name": "name", "label": "名称", "value": "第一人改的名"} in other
    assert 'value="第二人改的名"' in text  # what the second person typed is still in the form
    world.site_a.refresh_from_db()
    assert world.site_a.name == "第一人改的名"


def test_saving_again_after_reviewing_the_conflict_overwrites_knowingly(world, editors):
    one, two = editors
    second_form = open_form(two, world.site_a)
    one.post(change_url(world.site_a), {**open_form(one, world.site_a), "notes": "第一人"})
    refused = two.post(change_url(world.site_a), {**second_form, "notes": "第二人"})
    assert refused.status_code == 200

    current = re.search(r'name="_version" value="([0-9a-f]+)"', refused.text).group(1)
    again = two.post(
        change_url(world.site_a), {**second_form, "notes": "第二人", "_version": current}
    )

    assert again.status_code == 302
    world.site_a.refresh_from_db()
    assert world.site_a.notes == "第二人"


def test_a_save_from_the_current_version_goes_through(world, editors):
    one, _ = editors
    for obj, field, value in [
        (world.site_a, "name", "新名"),
        (world.customer_a, "name", "甲客户（新）"),
        (world.asset_a, "name", "新设备"),
        (world.contract_a, "title", "新合同名"),
    ]:
        answer = one.post(change_url(obj), {**open_form(one, obj), field: value})
        assert answer.status_code == 302, answer.context["adminform"].form.errors
        obj.refresh_from_db()
        assert getattr(obj, field) == value


def test_a_stale_contract_save_is_refused(world, editors):
    one, two = editors
    contract = world.contract_a
    second_form = open_form(two, contract)
    assert (
        one.post(change_url(contract), {**open_form(one, contract), "title": "甲"}).status_code
        == 302
    )

    answer = two.post(change_url(contract), {**second_form, "title": "乙"})

    assert answer.status_code == 200
    assert "已被他人修改" in answer.content.decode()
    contract.refresh_from_db()
    assert contract.title == "甲"

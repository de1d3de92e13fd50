"""Input bounds live on the models (issue 11), so every interface refuses the same way: the
web registration form, the Django admin and the API refuse a date before 2000-01-01 (or an
installation/receipt after today) and a note over 10,000 characters on the field, and store
nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.repairs.models import Repair
from weibao.spares.tests.factories import make_hardware

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.repairs.tests.urls")]
SH = ZoneInfo("Asia/Shanghai")
LONG = "长" * 10_001


@pytest.fixture
def today(frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    return dt.date(2026, 10, 12)


@pytest.mark.parametrize(
    ("received_at", "fault", "field"),
    [
        ("0001-01-01", "风扇不转", "received_at"),
        ("1999-12-31", "风扇不转", "received_at"),
        ("2026-09-15", LONG, "fault_description"),
    ],
)
def test_the_registration_form_refuses_an_implausible_receipt_or_an_overlong_fault(
    client, today, received_at, fault, field
):
    hw = make_hardware()
    client.force_login(hw.keeper)
    page = client.get("/repairs/new/").content.decode()
    assert 'maxlength="10000"' in page
    response = client.post(
        "/repairs/new/",
        {"customer": hw.customer.pk, "asset": hw.asset.pk, "fault_description": fault,
         "repair_origin": "domestic", "received_at": received_at},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Repair.objects.exists()


def test_the_api_refuses_an_overlong_fault_description(api, today):
    hw = make_hardware()
    api.force_authenticate(hw.keeper)
    answer = api.post("/api/repairs/", {"serial_number": hw.asset.serial_number,
                                        "fault_description": LONG,
                                        "received_at": "2026-09-15"}, format="json")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["fields"]["fault_description"]
    assert not Repair.objects.exists()


def _admin_form(model, obj, user, rf, **changes):
    request = rf.post("/")
    request.user = user
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, obj, change=True)
    data = {
        k: v for k, v in model_to_dict(obj).items() if v is not None and not isinstance(v, list)
    }
    data.update(changes)
    return form_class(data=data, instance=obj)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"installed_on": "0001-01-01"}, "installed_on"),
        ({"installed_on": "2026-10-13"}, "installed_on"),
        ({"notes": LONG}, "notes"),
    ],
)
def test_the_asset_admin_refuses_an_implausible_installation_or_overlong_notes(
    world, rf, today, changes, field
):
    asset = world.asset_a
    form = _admin_form(Asset, asset, world.admin, rf, **changes)
    assert not form.is_valid() and form.errors[field]
    assert 'maxlength="10000"' in str(form["notes"])
    asset.refresh_from_db()
    assert asset.installed_on is None or asset.installed_on < dt.date(2026, 10, 13)
    assert len(asset.notes) < 10_001
    ok = _admin_form(Asset, asset, world.admin, rf, installed_on="2026-10-12", notes="备" * 10_000)
    assert ok.is_valid(), ok.errors


def test_the_contract_admin_refuses_a_period_before_2000(world, rf, today):
    contract = world.contract_a
    form = _admin_form(Contract, contract, world.admin, rf, start_date="0001-01-01")
    assert not form.is_valid() and form.errors["start_date"]
    contract.refresh_from_db()
    assert contract.start_date.year > 2000


def test_asset_notes_over_ten_thousand_characters_are_refused_through_the_api(api, world, today):
    api.force_authenticate(world.admin)
    url = f"/api/assets/{world.asset_a.pk}/"
    answer = api.patch(url, {"notes": LONG}, format="json")
    assert answer.status_code == 400 and answer.json()["fields"]["notes"]
    assert Asset.objects.get(pk=world.asset_a.pk).notes != LONG
    assert api.patch(url, {"notes": "备" * 10_000}, format="json").status_code == 200

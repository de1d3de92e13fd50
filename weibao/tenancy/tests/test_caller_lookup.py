"""Who is calling: the phone intake and `GET /api/contacts/lookup/` find the contacts whose
number ends with the digits typed, among those the user may see."""

import pytest

from weibao.tenancy.selectors import callers_by_phone, phone_digits
from weibao.testing.factories import ContactFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("139-0000-0002", "13900000002"),
        ("+86 139 0000 0002", "13900000002"),
        ("0086 13900000002", "13900000002"),
        ("８６１３９０００００００２", "13900000002"),  # full-width, from a Chinese IME
        ("(025) 8888.1234", "02588881234"),
        ("0002", "0002"),
        ("", ""),
    ],
)
def test_a_number_is_read_as_its_digits_whatever_the_separators(typed, digits):
    assert phone_digits(typed) == digits


def test_the_whole_number_or_its_last_digits_find_the_contact_however_it_was_stored(world):
    qian = ContactFactory(customer=world.customer_a, name="钱值班员", phone="+86 139-0000-0002")
    for typed in ("13900000002", "139 0000 0002", "+8613900000002", "0002", "00 02"):
        found = callers_by_phone(world.provider_user, typed)
        assert [c.contact for c in found] == [qian], typed
    assert callers_by_phone(world.provider_user, "002") == []  # fewer than 4 digits
    assert callers_by_phone(world.provider_user, "1390") == []  # the start is not the end


def test_the_exact_number_comes_before_numbers_that_only_end_with_it(world):
    longer = ContactFactory(customer=world.customer_a, name="甲", phone="0255200000002")
    exact = ContactFactory(customer=world.customer_b, name="乙", phone="00000002")
    found = callers_by_phone(world.provider_user, "00000002")
    assert [c.contact for c in found] == [exact, longer]


def test_a_customer_user_finds_only_their_own_customers_contacts(world):
    own = ContactFactory(customer=world.customer_a, phone="13900000002")
    ContactFactory(customer=world.customer_b, phone="13800000002")
    assert [c.contact for c in callers_by_phone(world.user_a, "0002")] == [own]
    assert [c.contact for c in callers_by_phone(world.user_b, "13900000002")] == []


def test_an_agent_finds_the_contacts_of_their_providers_customers_only(world):
    a = ContactFactory(customer=world.customer_a, name="甲", phone="13900000002")
    b = ContactFactory(customer=world.customer_b, name="乙", phone="13800000002")
    found = callers_by_phone(world.provider_user, "0002")
    assert {c.contact for c in found} == {a, b}
    stranger = UserFactory(provider__name="另一家维保公司")
    assert callers_by_phone(stranger, "0002") == []


def test_the_site_is_given_when_the_customer_has_only_one(world):
    ContactFactory(customer=world.customer_a, phone="13900000002")
    ContactFactory(customer=world.customer_b, phone="13800000002")
    SiteFactory(customer=world.customer_b)
    found = {c.customer: c.site_id for c in callers_by_phone(world.provider_user, "0002")}
    assert found == {world.customer_a: world.site_a.pk, world.customer_b: None}


def test_the_api_answers_the_same_lookup_scoped_to_the_user(api, world):
    ContactFactory(customer=world.customer_a, name="钱值班员", phone="139 0000 0002")
    ContactFactory(customer=world.customer_b, name="孙值班员", phone="13800000002")
    api.force_authenticate(world.user_a)
    answer = api.get("/api/contacts/lookup/", {"phone": "0002"})
    assert answer.status_code == 200
    ((caller,),) = [answer.json()]
    assert caller["contact"]["name"] == "钱值班员"
    assert (caller["customer"], caller["site"]) == (world.customer_a.pk, world.site_a.pk)
    api.force_authenticate(world.provider_user)
    names = {c["contact"]["name"] for c in api.get("/api/contacts/lookup/?phone=0002").json()}
    assert names == {"钱值班员", "孙值班员"}


def test_the_api_refuses_a_lookup_without_a_number(api, world):
    api.force_authenticate(world.provider_user)
    answer = api.get("/api/contacts/lookup/")
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["phone"]

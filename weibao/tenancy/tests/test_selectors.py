"""Whose is it: one answer for a customer, a site, an asset, a user and a ticket."""

import pytest

from weibao.tenancy.selectors import customer_id_of, customer_of
from weibao.testing.factories import (
    AssetFactory,
    CustomerFactory,
    CustomerUserFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_customer_a_site_an_asset_and_a_customer_user_name_their_customer():
    site = SiteFactory()
    asset = AssetFactory(site=site)
    user = CustomerUserFactory(customer=site.customer)
    for owner in (site.customer, site, asset, user):
        assert customer_id_of(owner) == site.customer_id
        assert customer_of(owner) == site.customer


def test_provider_staff_and_nothing_belong_to_no_customer():
    assert customer_id_of(UserFactory()) is None
    assert customer_id_of(None) is None
    assert customer_of(None, UserFactory()) is None


def test_the_first_owner_that_belongs_to_a_customer_decides():
    named, other = CustomerFactory(), SiteFactory()
    assert customer_of(None, other) == other.customer
    assert customer_of(named, other) == named  # the customer named wins over the site's

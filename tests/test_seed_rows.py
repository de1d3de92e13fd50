"""A transactional test's flush takes the data migrations' seed rows away; the next
transactional test finds them all back (conftest `_seed_data_survives_transactional_tests`)."""

import pytest

from weibao.accounts.capabilities import DEFAULT_MATRIX
from weibao.accounts.models import RoleCapability
from weibao.assets.models import AssetCategory
from weibao.calendars.models import CalendarDay
from weibao.tenancy.models import Customer
from weibao.testing import factories as f


def _seeded():
    return {
        "categories": AssetCategory.objects.count(),
        "days": CalendarDay.objects.count(),
        "matrix": RoleCapability.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", [1, 2])
def test_seed_rows_are_there_in_every_transactional_test(turn):
    seeded = _seeded()
    assert seeded["categories"] > 0
    assert seeded["days"] >= 365 * 20
    assert seeded["matrix"] == sum(len(caps) for caps in DEFAULT_MATRIX.values())
    assert not Customer.objects.exists()  # the previous test's own rows are gone
    f.CustomerFactory()  # and new rows get fresh keys after the restore
    f.CustomerFactory()

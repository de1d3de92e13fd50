import pytest

from weibao.spares.tests.factories import make_hardware


@pytest.fixture
def hw(db):
    # Billing's cause list is seeded by a migration; a transactional test's flush removes it.
    from django.apps import apps

    from weibao.billing import seed

    seed.load(apps)
    return make_hardware()

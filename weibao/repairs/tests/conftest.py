import pytest

from weibao.spares.tests.factories import make_hardware


@pytest.fixture
def hw(db):
    return make_hardware()

import pytest


@pytest.fixture(autouse=True)
def table_17(request):
    """Transactional tests elsewhere flush the data migrations' rows; put the 表 17 register
    back for tests that use the database."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from weibao.emergency import seed
    from weibao.emergency.models import EmergencyEvent

    if not EmergencyEvent.objects.filter(customer__isnull=True).exists():
        seed.load(apps)


@pytest.fixture
def manager(world):
    """A maintenance manager of the world's provider: edits emergency plans (PRM-1)."""
    from weibao.accounts.choices import Role
    from weibao.testing import factories as f

    return f.UserFactory(provider=world.provider_user.provider, roles=[Role.MAINTENANCE_MANAGER])

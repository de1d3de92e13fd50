import pytest

from weibao.documents import kinds, services
from weibao.documents.tests.kinds import TEST_KIND

DATA = {
    "phenomenon": "监控中心看不到溧水端局的动环数据",
    "actions": "更换 FSU 电源模块，重启采集服务",
    "advice": "每季度检查电源模块",
    "result": "fixed",
}


@pytest.fixture(autouse=True)
def _test_kind_registered():
    """Every documents test may file the test kind."""
    with kinds.registered(TEST_KIND):
        yield


@pytest.fixture(autouse=True)
def provider_user_files_paperwork(request):
    """The world's provider user fills in and hands over documents (PRM-1: `visit.work`, an
    engineer's capability); customer users sign (`document.sign`)."""
    if "world" not in request.fixturenames:
        return
    from weibao.accounts.choices import Role
    from weibao.accounts.models import RoleAssignment

    world = request.getfixturevalue("world")
    RoleAssignment.objects.get_or_create(user=world.provider_user, role=Role.ENGINEER)
    for cached in ("_role_scopes", "role_codes"):
        world.provider_user.__dict__.pop(cached, None)


@pytest.fixture
def make_document(world):
    def make(customer=None, **extra):
        customer = customer or world.customer_a
        site = world.site_a if customer == world.customer_a else world.site_b
        values = {
            "kind": TEST_KIND.code,
            "title": "溧水端局 FSU 故障处理",
            "customer": customer,
            "site": site,
            "data": dict(DATA),
            "actor": world.provider_user,
            **extra,
        }
        return services.create_document(**values)

    return make

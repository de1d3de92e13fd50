"""An administrator reads and edits the permission matrix (PRM-1) as a grid in the admin and
through the API; nobody else can change it, and a change takes effect at once."""

import pytest

from weibao.accounts.choices import Role
from weibao.accounts.models import RoleCapability
from weibao.core.permissions import can
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

URL = "/admin/accounts/rolecapability/"


@pytest.fixture
def admin(db):
    return f.UserFactory(is_superuser=True, is_staff=True, username="matrix-admin")


def ticked(role):
    return set(RoleCapability.objects.filter(role=role).values_list("capability", flat=True))


def test_admin_sees_roles_by_capabilities_with_labels_and_ticks(client, admin):
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert 'id="permission-matrix"' in page
    assert str(Role.ENGINEER.label) in page
    assert "派工；代工程师记录到场" in page  # the capability's label
    assert 'value="maintenance_manager|ticket.dispatch"\n                   aria-label' in page
    cell = page.split('value="maintenance_manager|ticket.dispatch"')[1].split(">")[0]
    assert "checked" in cell
    cell = page.split('value="engineer|ticket.dispatch"')[1].split(">")[0]
    assert "checked" not in cell


def test_admin_saves_the_grid_and_the_change_applies_at_once(client, admin):
    engineer = f.UserFactory(roles=[Role.ENGINEER])
    assert not can(engineer, "ticket.dispatch")
    client.force_login(admin)
    cells = [f"{r}|{c}" for r, c in RoleCapability.objects.values_list("role", "capability")]
    cells.append("engineer|ticket.dispatch")
    cells.remove("support_agent|ticket.callback")

    response = client.post(URL, {"cell": cells})

    assert response.status_code == 302
    assert "ticket.dispatch" in ticked(Role.ENGINEER)
    assert "ticket.callback" not in ticked(Role.SUPPORT_AGENT)
    engineer = type(engineer).objects.get(pk=engineer.pk)
    assert can(engineer, "ticket.dispatch")


def test_staff_without_admin_rights_cannot_save(client):
    staff = f.UserFactory(is_staff=True, roles=[Role.MAINTENANCE_MANAGER])
    client.force_login(staff)
    before = ticked(Role.ENGINEER)
    response = client.post(URL, {"cell": ["engineer|config.edit"]})
    assert response.status_code == 403
    assert ticked(Role.ENGINEER) == before


def test_api_reads_the_matrix_with_labels(api, admin):
    engineer = f.UserFactory(roles=[Role.ENGINEER])
    api.force_authenticate(engineer)
    body = api.get("/api/permissions/matrix/").json()
    assert {"code": "engineer", "label": str(Role.ENGINEER.label)} in body["roles"]
    assert any(c["code"] == "config.edit" for c in body["capabilities"])
    assert "visit.work" in body["matrix"]["engineer"]
    assert "config.edit" not in body["matrix"]["engineer"]


def test_api_put_by_an_administrator_replaces_the_named_roles(api, admin):
    api.force_authenticate(admin)
    response = api.put(
        "/api/permissions/matrix/",
        {"matrix": {"engineer": ["visit.work", "ticket.open"]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert ticked(Role.ENGINEER) == {"visit.work", "ticket.open"}
    assert "ticket.dispatch" in ticked(Role.MAINTENANCE_MANAGER)  # not named: unchanged


def test_api_put_by_anyone_else_is_403_and_changes_nothing(api):
    manager = f.UserFactory(roles=[Role.MAINTENANCE_MANAGER])
    api.force_authenticate(manager)
    before = ticked(Role.ENGINEER)
    response = api.put(
        "/api/permissions/matrix/", {"matrix": {"engineer": ["config.edit"]}}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {**response.json(), "code": "permission_denied",
                               "capability": "config.edit"}  # fmt: skip
    assert ticked(Role.ENGINEER) == before


def test_api_put_with_an_unknown_capability_is_400_and_changes_nothing(api, admin):
    api.force_authenticate(admin)
    before = ticked(Role.ENGINEER)
    response = api.put(
        "/api/permissions/matrix/", {"matrix": {"engineer": ["fly.rocket"]}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_capability"
    assert ticked(Role.ENGINEER) == before

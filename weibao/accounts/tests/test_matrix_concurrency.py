"""Two administrators editing the permission matrix: the grid and the API carry the matrix's
version, and a save made from an older matrix is refused ("已被他人修改" with the other
administrator's ticks on the page, 412 through the API), changing nothing."""

import re

import pytest

from weibao.accounts.choices import Role
from weibao.accounts.models import RoleCapability
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

URL = "/admin/accounts/rolecapability/"
API = "/api/permissions/matrix/"


@pytest.fixture
def admin(db):
    return f.UserFactory(is_superuser=True, is_staff=True, username="matrix-admin")


def ticked(role):
    return set(RoleCapability.objects.filter(role=role).values_list("capability", flat=True))


def _cells():
    return [f"{r}|{c}" for r, c in RoleCapability.objects.values_list("role", "capability")]


def test_a_stale_grid_save_is_refused_with_the_other_administrators_ticks(client, admin):
    client.force_login(admin)
    page = client.get(URL).content.decode()
    version = re.search(r'name="_version" value="([0-9a-f]+)"', page).group(1)
    cells = _cells()

    first = client.post(URL, {"cell": [*cells, "engineer|ticket.dispatch"], "_version": version})
    second = client.post(URL, {"cell": [*cells, "engineer|config.edit"], "_version": version})

    assert first.status_code == 302
    assert second.status_code == 409
    text = second.content.decode()
    assert "已被他人修改" in text
    row = re.search(r'data-field="ticket.dispatch"><td>.*?</td><td>(.*?)</td>', text, re.S)
    assert str(Role.ENGINEER.label) in row.group(1)  # what the other administrator saved
    assert re.search(r'value="engineer\|config.edit"[^>]*checked', text)  # what was ticked
    assert "ticket.dispatch" in ticked(Role.ENGINEER)
    assert "config.edit" not in ticked(Role.ENGINEER)

    # the refused page carries the current version: saving it again overwrites knowingly
    again = re.search(r'name="_version" value="([0-9a-f]+)"', text).group(1)
    third = client.post(URL, {"cell": [*cells, "engineer|config.edit"], "_version": again})
    assert third.status_code == 302
    assert "config.edit" in ticked(Role.ENGINEER)
    assert "ticket.dispatch" not in ticked(Role.ENGINEER)


def test_a_stale_matrix_put_answers_412_and_changes_nothing(api, admin):
    api.force_authenticate(admin)
    read = api.get(API)
    assert read["ETag"]
    engineer = sorted(read.json()["matrix"]["engineer"])

    fresh = api.put(
        API, {"matrix": {"engineer": [*engineer, "ticket.dispatch"]}}, format="json",
        HTTP_IF_MATCH=read["ETag"],
    )  # fmt: skip
    stale = api.put(
        API, {"matrix": {"engineer": [*engineer, "config.edit"]}}, format="json",
        HTTP_IF_MATCH=read["ETag"],
    )  # fmt: skip

    assert fresh.status_code == 200 and fresh["ETag"] != read["ETag"]
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    assert "ticket.dispatch" in ticked(Role.ENGINEER)
    assert "config.edit" not in ticked(Role.ENGINEER)
    assert api.get(API)["ETag"] == fresh["ETag"]

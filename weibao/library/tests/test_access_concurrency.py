"""Two people choosing who may read a library document: the access form and the API carry the
document's version, readers included, and a save from an older page is refused ("已被他人修改"
with the other person's choice; 412 through the API), changing nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.library import services

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]


def _doc(world):
    return services.add_document(
        title="维护手册", category="manual", file=SimpleUploadedFile("m.txt", b"manual"),
        published=True, audience="selected", customers=[world.customer_a],
        actor=world.provider_user,
    )  # fmt: skip


def test_a_stale_access_save_is_refused_with_the_other_persons_readers(client, world):
    document = _doc(world)
    url = f"/library/documents/{document.pk}/access/"
    client.force_login(world.provider_user)
    page = client.get(url).content.decode()
    version = re.search(r'name="_version" value="([0-9a-f]+)"', page).group(1)

    fresh = client.post(
        url, {"published": "on", "audience": "selected", "customers": [world.customer_b.pk],
              "_version": version},
    )  # fmt: skip
    stale = client.post(
        url, {"published": "on", "audience": "selected",
              "customers": [world.customer_a.pk, world.customer_b.pk], "_version": version},
    )  # fmt: skip

    assert fresh.status_code == 302
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "已被他人修改" in text
    row = re.search(r'data-field="customers"><td>[^<]*</td><td>([^<]*)<', text)
    assert row.group(1) == world.customer_b.name  # the other person's choice
    assert list(document.customers.all()) == [world.customer_b]


def test_the_readers_are_part_of_the_documents_etag(api, world):
    document = _doc(world)
    api.force_authenticate(world.provider_user)
    url = f"/api/library/documents/{document.pk}/"
    read = api.get(url)
    document.customers.set([world.customer_b])  # only the readers change

    assert api.get(url)["ETag"] != read["ETag"]
    body = {"published": True, "audience": "all"}
    stale = api.post(f"{url}access/", body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    document.refresh_from_db()
    assert document.audience == "selected"
    fresh = api.post(f"{url}access/", body, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"]

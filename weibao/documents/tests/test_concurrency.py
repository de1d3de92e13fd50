"""A draft document filled in by two people: the later save from an older page is refused
with the other person's values ("已被他人修改"), keeping what was typed."""

import re

import pytest

from weibao.documents.models import SignedDocument

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.documents.tests.urls")]


def _version(page) -> str:
    return re.search(r'name="_version" value="([0-9a-f]+)"', page.content.decode()).group(1)


def test_a_stale_document_save_is_refused_and_a_fresh_one_saves(client, make_document, world):
    doc = make_document()
    url = f"/documents/{doc.pk}/edit/"
    client.force_login(world.provider_user)
    version = _version(client.get(url))
    body = {"title": doc.title, "phenomenon": "无数据", "actions": "重启"}

    fresh = client.post(url, {**body, "_version": version})
    stale = client.post(url, {**body, "phenomenon": "告警", "_version": version})

    assert fresh.status_code == 302
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "已被他人修改" in text
    assert re.search(r'data-field="phenomenon"><td>[^<]*</td><td>无数据<', text)
    assert "告警" in text  # what was typed is kept
    assert SignedDocument.objects.get(pk=doc.pk).data["phenomenon"] == "无数据"

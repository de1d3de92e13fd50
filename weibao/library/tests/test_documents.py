"""OTH-2: the library shares files with all customers or chosen ones; downloads check access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.library import services
from weibao.library.models import LibraryDocument

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]


def _doc(world, title, *, published=True, audience="all", customers=()):
    return services.add_document(
        title=title, category="manual", file=SimpleUploadedFile(f"{title}.txt", title.encode()),
        published=published, audience=audience, customers=customers, actor=world.provider_user,
    )  # fmt: skip


def _download(client, document):
    response = client.get(f"/library/documents/{document.pk}/download/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_customers_see_shared_documents_and_only_their_own_selected_ones(client, world):
    manual = _doc(world, "维护手册")
    for_a = _doc(world, "甲专用方案", audience="selected", customers=[world.customer_a])
    draft = _doc(world, "未发布草稿", published=False)

    client.force_login(world.user_a)
    page = client.get("/library/documents/").content.decode()
    assert "维护手册" in page and "甲专用方案" in page and "未发布草稿" not in page
    assert _download(client, manual) == (200, "维护手册".encode())
    assert _download(client, for_a)[0] == 200
    assert _download(client, draft)[0] == 404

    client.force_login(world.user_b)
    page = client.get("/library/documents/").content.decode()
    assert "维护手册" in page and "甲专用方案" not in page
    assert _download(client, for_a)[0] == 404


def test_file_is_stored_under_media_root_and_not_served_raw(client, world, settings):
    document = _doc(world, "技术通告")
    stored = settings.MEDIA_ROOT / document.file.name
    assert stored.read_bytes() == "技术通告".encode()
    client.force_login(world.user_b)
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_provider_uploads_a_document_for_selected_customers_from_the_web(client, world):
    client.force_login(world.provider_user)
    response = client.post(
        "/library/documents/new/",
        {"title": "割接方案", "category": "other", "version": "1.0", "published": "on",
         "audience": "selected", "customers": [world.customer_b.pk],
         "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test")},
    )  # fmt: skip
    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="割接方案")
    assert list(document.customers.all()) == [world.customer_b]
    client.force_login(world.user_b)
    response = client.get(f"/library/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert (
        "割接方案.pdf" in response["Content-Disposition"]
        or "filename*" in response["Content-Disposition"]
    )


def test_selected_audience_needs_a_customer(client, world):
    client.force_login(world.provider_user)
    response = client.post(
        "/library/documents/new/",
        {"title": "x", "category": "other", "audience": "selected",
         "file": SimpleUploadedFile("x.txt", b"x")},
    )  # fmt: skip
    assert response.status_code == 200
    assert "请至少选择一个客户" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_customer_cannot_upload(client, world):
    client.force_login(world.user_a)
    assert client.get("/library/documents/new/").status_code == 403


def test_library_list_searches_sorts_counts_and_exports_only_what_the_reader_may_read(
    client, world
):
    import io

    from openpyxl import load_workbook

    def exported(params) -> list[tuple]:
        answer = client.get("/library/documents/", {**params, "format": "xlsx"})
        return list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))

    _doc(world, "A 维护手册")
    _doc(world, "B 甲专用方案", audience="selected", customers=[world.customer_a])
    _doc(world, "C 未发布草稿", published=False)
    client.force_login(world.provider_user)
    page = client.get("/library/documents/", {"sort": "-title"}).content.decode()
    assert "共 3 条" in page
    assert page.index("C 未发布草稿") < page.index("B 甲专用方案") < page.index("A 维护手册")
    rows = exported({"q": "方案"})
    assert rows[0] == ("标题", "分类", "版本", "说明", "可见范围", "更新")
    assert [(r[0], r[4]) for r in rows[1:]] == [("B 甲专用方案", world.customer_a.name)]
    client.force_login(world.user_b)
    rows = exported({"sort": "title"})
    assert "可见范围" not in rows[0] and [r[0] for r in rows[1:]] == ["A 维护手册"]


def test_the_api_exports_the_library_as_the_reader_may_read_it(api, world):
    import io

    from openpyxl import load_workbook

    _doc(world, "维护手册")
    _doc(world, "甲专用方案", audience="selected", customers=[world.customer_a])
    api.force_authenticate(world.user_b)
    answer = api.get("/api/library/documents/export/")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert "可见范围" not in rows[0] and [r[0] for r in rows[1:]] == ["维护手册"]
    api.force_authenticate(world.provider_user)
    answer = api.get("/api/library/documents/export/", {"search": "方案"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[4]) for r in rows[1:]] == [("甲专用方案", world.customer_a.name)]

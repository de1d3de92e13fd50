"""Billing screens: the engineer marks a ticket out of scope with a photo and prepares the
statement; the customer approves it in the portal; nobody sees another customer's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.billing import services
from weibao.billing.choices import StatementState
from weibao.billing.models import Exclusion, Statement
from weibao.billing.tests.conftest import add_lines
from weibao.core.tests.images import plain_photo

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.billing.tests.urls")]

PNG = plain_photo("PNG")  # a real picture: undecodable photos are refused


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_engineer_marks_a_ticket_out_of_scope_with_a_photo(client, desk, causes, media, world):
    ticket = desk.open(level="L3")
    client.force_login(desk.engineer)
    page = client.get(f"/billing/tickets/{ticket.pk}/out-of-scope/").content.decode()
    assert "由非专业人员搬运" in page

    response = client.post(
        f"/billing/tickets/{ticket.pk}/out-of-scope/",
        {"causes": [causes["unqualified_move"].pk, causes["negligence"].pk],
         "evidence": "机柜被装修队挪动，电源线被拉断",
         "attachment": SimpleUploadedFile("现场.png", PNG, content_type="image/png")},
    )  # fmt: skip

    statement = Statement.objects.get()
    assert response.status_code == 302 and response.url == f"/billing/{statement.pk}/"
    exclusion = Exclusion.objects.get()
    assert exclusion.causes.count() == 2 and exclusion.attachment.name.endswith(".png")
    photo = client.get(f"/billing/exclusions/{exclusion.pk}/evidence/")
    assert b"".join(photo.streaming_content) == PNG
    client.force_login(world.user_b)
    assert client.get(f"/billing/exclusions/{exclusion.pk}/evidence/").status_code == 404


def test_an_executable_is_refused_as_evidence(client, desk, causes, media):
    ticket = desk.open(level="L3")
    client.force_login(desk.engineer)
    response = client.post(
        f"/billing/tickets/{ticket.pk}/out-of-scope/",
        {"causes": [causes["other"].pk], "evidence": "x",
         "attachment": SimpleUploadedFile("virus.exe", b"MZ")},
    )  # fmt: skip
    assert response.status_code == 400  # as the API answers
    assert "exe" in response.content.decode() and not Exclusion.objects.exists()


def test_engineer_adds_lines_and_the_manager_sends_from_the_page(client, draft, desk):
    client.force_login(desk.engineer)
    client.post(f"/billing/{draft.pk}/add_line/", {
        "kind": "labour", "description": "更换电源模块", "quantity": "2.5", "unit": "",
        "unit_price": "180", "part_number": ""})  # fmt: skip
    client.force_login(desk.manager)
    client.post(f"/billing/{draft.pk}/send/")
    page = client.get(f"/billing/{draft.pk}/").content.decode()
    assert "450.00" in page and "待客户确认" in page
    assert Statement.objects.get().state == StatementState.SENT


def test_customer_approves_in_the_portal(client, draft, desk, client_user):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    client.force_login(client_user)
    listing = client.get("/billing/").content.decode()
    assert draft.number in listing and "待您确认" in listing
    page = client.get(f"/billing/{draft.pk}/").content.decode()
    assert 'data-move="approve"' in page and 'data-move="send"' not in page

    client.post(f"/billing/{draft.pk}/approve/", {"note": "同意"})
    client.post(f"/billing/{draft.pk}/approve/", {"note": "再点一次"})

    statement = Statement.objects.get()
    assert statement.state == StatementState.APPROVED and statement.decision_note == "同意"
    page = client.get(f"/billing/{draft.pk}/", follow=True).content.decode()
    assert "同意" in page


def test_another_customers_statement_is_404_everywhere(client, draft, world):
    client.force_login(world.user_b)
    for url in (f"/billing/{draft.pk}/", f"/billing/{draft.pk}/download/pdf/",
                f"/billing/{draft.pk}/download/xlsx/"):  # fmt: skip
        assert client.get(url).status_code == 404
    assert client.post(f"/billing/{draft.pk}/approve/").status_code == 404
    assert draft.number not in client.get("/billing/").content.decode()


def test_downloads_for_the_customer(client, draft, desk, client_user):
    add_lines(draft, desk.engineer)
    client.force_login(client_user)
    xlsx = client.get(f"/billing/{draft.pk}/download/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert f"{draft.number}.xlsx" in xlsx["Content-Disposition"]


def test_customers_cannot_open_the_out_of_scope_form(client, desk, client_user):
    ticket = desk.open(level="L3")
    client.force_login(client_user)
    assert client.get(f"/billing/tickets/{ticket.pk}/out-of-scope/").status_code == 404


def test_statement_list_searches_sorts_counts_and_exports(client, draft, desk, causes, world):
    from io import BytesIO

    from openpyxl import load_workbook

    second = services.mark_out_of_scope(
        desk.open(level="L3", fault_phenomenon="硬盘录像机损坏"),
        causes=[causes["accident"]],
        evidence="进水",
        actor=desk.engineer,
    ).statements.get()
    add_lines(draft, desk.engineer)
    client.force_login(desk.manager)
    page = client.get("/billing/", {"sort": "number"}).content.decode()
    assert "共 2 条" in page
    assert page.index(draft.number) < page.index(second.number)
    rows = list(
        load_workbook(
            BytesIO(client.get("/billing/?sort=-number&format=xlsx").content)
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("编号", "客户")
    assert [(r[0], r[4]) for r in rows[1:]] == [(second.number, 0), (draft.number, 1227.15)]
    page = client.get("/billing/", {"q": second.number}).content.decode()
    assert "共 1 条" in page and draft.number not in page
    client.force_login(world.user_b)  # another customer exports none of these
    rows = list(
        load_workbook(BytesIO(client.get("/billing/?format=xlsx").content)).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1:] == [] and "客户" not in rows[0]

"""The report screens: generate with a progress display, read with charts, download, and
customer isolation (another customer's report answers 404)."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.reporting import services
from weibao.reporting.generation import generate_report
from weibao.reporting.models import AnalysisReport
from weibao.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.reporting.tests.urls")]


@pytest.fixture
def ready(quarter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            quarter.contract, period_kind="quarter", day=dt.date(2026, 1, 1),
            actor=quarter.desk.manager,
        )  # fmt: skip
    report.refresh_from_db()
    return report


def test_generate_button_starts_generation_and_the_page_polls_progress(client, quarter):
    client.force_login(quarter.desk.manager)
    page = client.get(f"/reports/contracts/{quarter.contract.pk}/").content.decode()
    assert 'value="quarter|2026-01-01"' in page
    response = client.post(
        f"/reports/contracts/{quarter.contract.pk}/generate/",
        {"period": "quarter|2026-01-01", "recurring_threshold": "3"},
    )
    report = AnalysisReport.objects.get()
    assert response.url == f"/reports/{report.pk}/"
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "0%" in page

    AnalysisReport.objects.filter(pk=report.pk).update(state="generating", progress=45)
    partial = client.get(f"/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "45%" in partial.content.decode()

    AnalysisReport.objects.filter(pk=report.pk).update(state="queued", progress=0)
    generate_report(report.pk)
    done = client.get(f"/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "二、故障统计" in page
    assert 'data-chart="faults_by_level"' in page and "data:image/png;base64," in page
    assert "hx-trigger" not in page


def test_customer_reads_and_downloads_own_reports_only(client, quarter, ready):
    own = _customer(quarter)
    other = f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF])
    client.force_login(own)
    assert "2026年第1季度" in client.get("/reports/").content.decode()
    assert client.get(f"/reports/{ready.pk}/").status_code == 200
    for fmt, kind in (("pdf", "application/pdf"), ("docx", "officedocument"),
                      ("xlsx", "officedocument")):  # fmt: skip
        response = client.get(f"/reports/{ready.pk}/download/{fmt}/")
        assert response.status_code == 200
        assert kind in response["Content-Type"]
    assert (
        "generate" not in client.get(f"/reports/contracts/{quarter.contract.pk}/").content.decode()
    )
    assert client.post(
        f"/reports/contracts/{quarter.contract.pk}/generate/", {"period": "quarter|2026-01-01"}
    ).status_code == 403  # fmt: skip

    client.force_login(other)
    assert client.get(f"/reports/{ready.pk}/").status_code == 404
    assert client.get(f"/reports/{ready.pk}/download/pdf/").status_code == 404
    assert client.get(f"/reports/contracts/{quarter.contract.pk}/").status_code == 404
    assert "2026年第1季度" not in client.get("/reports/").content.decode()


def test_customer_does_not_see_a_report_before_it_is_generated(client, quarter):
    report = services.request_report(
        quarter.contract, period_kind="month", day=dt.date(2026, 3, 1), actor=quarter.desk.manager
    )
    client.force_login(_customer(quarter))
    assert client.get(f"/reports/{report.pk}/").status_code == 404


def test_engineer_writes_the_analysis_sections(client, quarter, ready):
    client.force_login(quarter.desk.engineer)
    client.post(
        f"/reports/{ready.pk}/sections/",
        {
            "cause_analysis": "摄像机电源老化",
            "maintenance_problems": "",
            "improvement_suggestions": "更换电源",
        },
    )
    ready.refresh_from_db()
    assert (ready.cause_analysis, ready.improvement_suggestions) == ("摄像机电源老化", "更换电源")
    page = client.get(f"/reports/{ready.pk}/").content.decode()
    assert "摄像机电源老化" in page
    response = client.get(f"/reports/{ready.pk}/download/pdf/")
    assert response.status_code == 200  # rendered again with the new text


def test_a_period_that_has_not_started_is_refused(client, quarter):
    client.force_login(quarter.desk.manager)
    response = client.post(
        f"/reports/contracts/{quarter.contract.pk}/generate/", {"period": "quarter|2026-10-01"},
        follow=True,
    )  # fmt: skip
    assert "该周期尚未开始" in response.content.decode()
    assert not AnalysisReport.objects.exists()


def test_api_lists_own_reports_with_figures_and_hides_others(api, quarter, ready):
    own = _customer(quarter)
    api.force_authenticate(own)
    body = api.get("/api/analysis-reports/").json()
    assert [r["id"] for r in body["results"]] == [ready.pk]
    detail = api.get(f"/api/analysis-reports/{ready.pk}/").json()
    assert detail["figures"]["overview"]["tickets"] == 6
    assert detail["downloads"]["pdf"] == f"/reports/{ready.pk}/download/pdf/"
    api.force_authenticate(f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF]))
    assert api.get(f"/api/analysis-reports/{ready.pk}/").status_code == 404


def _customer(quarter):
    """A user of the quarter's customer; customer staff read their reports (PRM-1)."""
    return f.CustomerUserFactory(customer=quarter.desk.customer, roles=[Role.CUSTOMER_STAFF])


def test_report_index_searches_sorts_counts_and_exports_the_contracts(client, quarter, ready):
    import io

    from openpyxl import load_workbook

    other = f.make_contract(quarter.contract.customer, number="C-ZZ-2027")
    client.force_login(quarter.desk.manager)
    page = client.get("/reports/", {"sort": "number"}).content.decode()
    assert "共 2 条" in page
    first, second = sorted([quarter.contract.number, other.number])
    assert page.index(first) < page.index(second)
    page = client.get("/reports/", {"q": other.number}).content.decode()
    assert "共 1 条" in page and quarter.contract.number not in page
    export = client.get("/reports/", {"sort": "-number", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("合同", "名称", "客户", "开始日期", "结束日期", "最新报告")
    latest = {r[0]: r[5] for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == [second, first]
    assert latest == {quarter.contract.number: "2026年第1季度", other.number: None}
    client.force_login(f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF]))  # another customer
    export = client.get("/reports/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [] and "客户" not in rows[0]


def test_report_index_lists_and_exports_through_the_api_a_customer_their_own(api, quarter, ready):
    import io

    from openpyxl import load_workbook

    other = f.make_contract(quarter.contract.customer, number="C-ZZ-2027")
    api.force_authenticate(quarter.desk.manager)
    listed = api.get("/api/report-contracts/", {"ordering": "-number"}).json()["results"]
    first, second = sorted([quarter.contract.number, other.number])
    assert [c["number"] for c in listed] == [second, first]
    labels = {c["number"]: (c["latest_report"], c["latest_label"]) for c in listed}
    assert labels == {
        quarter.contract.number: (ready.pk, "2026年第1季度"),
        other.number: (None, ""),
    }
    export = api.get("/api/report-contracts/export/", {"ordering": "-number"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("合同", "名称", "客户", "开始日期", "结束日期", "最新报告")
    assert [(r[0], r[5]) for r in rows[1:]] == [
        (c["number"], c["latest_label"] or None) for c in listed
    ]
    export = api.get("/api/report-contracts/export/", {"search": other.number})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [other.number]
    api.force_authenticate(_customer(quarter))  # the customer: their own, no customer column
    rows = list(load_workbook(io.BytesIO(api.get("/api/report-contracts/export/").content))
                .active.iter_rows(values_only=True))  # fmt: skip
    assert sorted(r[0] for r in rows[1:]) == [first, second] and "客户" not in rows[0]
    api.force_authenticate(f.CustomerUserFactory(roles=[Role.CUSTOMER_STAFF]))  # another one
    rows = list(load_workbook(io.BytesIO(api.get("/api/report-contracts/export/").content))
                .active.iter_rows(values_only=True))  # fmt: skip
    assert rows[1:] == []

"""The reporting API (issue 10 #7): on-demand generation with progress and the engineer's
sections, through the same services as the screens; who may do what follows PRM-1."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.reporting.models import AnalysisReport
from weibao.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.reporting.tests.urls")]


def _generate(api, quarter, **extra):
    body = {"contract": quarter.contract.pk, "period_kind": "quarter", "day": "2026-01-01"}
    return api.post("/api/analysis-reports/generate/", {**body, **extra}, format="json")


def test_manager_generates_a_report_and_follows_its_progress(
    api, quarter, django_capture_on_commit_callbacks
):
    api.force_authenticate(quarter.desk.manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = _generate(api, quarter, recurring_threshold=3)

    assert response.status_code == 202
    report = api.get(f"/api/analysis-reports/{response.json()['id']}/").json()
    assert report["state"] == "ready" and report["progress"] == 100
    assert report["figures"]["overview"]["tickets"] == 6


def test_a_period_not_started_is_refused(api, quarter):
    api.force_authenticate(quarter.desk.account)

    response = _generate(api, quarter, day="2026-10-01")

    assert response.status_code == 400 and response.json()["code"] == "period_not_started"
    assert not AnalysisReport.objects.exists()


@pytest.mark.parametrize("who", ["engineer", "agent", "head"])
def test_roles_without_report_generate_get_403_via_api_and_web(api, client, quarter, who):
    user = getattr(quarter.desk, who)
    api.force_authenticate(user)
    client.force_login(user)

    via_api = _generate(api, quarter)
    via_web = client.post(
        f"/reports/contracts/{quarter.contract.pk}/generate/", {"period": "quarter|2026-01-01"}
    )

    assert via_api.status_code == 403 and via_api.json()["capability"] == "report.generate"
    assert via_web.status_code == 403
    assert not AnalysisReport.objects.exists()


def test_engineer_edits_sections_but_agent_may_not(api, client, quarter):
    report = AnalysisReport.objects.create(
        contract=quarter.contract, period_kind="quarter", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31), requested_at=clock.now(),
    )  # fmt: skip
    api.force_authenticate(quarter.desk.engineer)
    saved = api.post(
        f"/api/analysis-reports/{report.pk}/sections/",
        {"cause_analysis": "摄像机电源老化"},
        format="json",
    )
    api.force_authenticate(quarter.desk.agent)
    refused = api.post(
        f"/api/analysis-reports/{report.pk}/sections/", {"cause_analysis": "x"}, format="json"
    )
    client.force_login(quarter.desk.agent)
    refused_web = client.post(f"/reports/{report.pk}/sections/", {"cause_analysis": "x"})

    assert saved.status_code == 200 and saved.json()["cause_analysis"] == "摄像机电源老化"
    assert (refused.status_code, refused_web.status_code) == (403, 403)
    report.refresh_from_db()
    assert report.cause_analysis == "摄像机电源老化"


def test_customer_may_not_generate(api, quarter):
    api.force_authenticate(_customer(quarter))

    assert _generate(api, quarter).status_code == 403


def _customer(quarter):
    """A user of the quarter's customer; customer staff read their reports (PRM-1)."""
    return f.CustomerUserFactory(customer=quarter.desk.customer, roles=[Role.CUSTOMER_STAFF])

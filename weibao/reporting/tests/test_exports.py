"""ANA-2: a generated report opens as PDF, Word and Excel with the Chinese headings and the
charts, and its page shows the same sections."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from weibao.notifications.models import Notification
from weibao.reporting import services
from weibao.reporting.models import AnalysisReport

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.reporting.tests.urls")]

HEADINGS = ["一、概况", "二、故障统计", "三、服务时限达成情况", "四、平均修复时间（MTTR）",
            "五、重复故障", "九、告警统计（待接入监控平台）", "十、故障原因分析",
            "十一、系统维护存在的问题", "十二、维护改进建议"]  # fmt: skip


@pytest.fixture
def report(quarter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            quarter.contract, period_kind="quarter", day=dt.date(2026, 3, 31),
            actor=quarter.desk.manager,
        )  # fmt: skip
    report.refresh_from_db()
    return report


def test_generation_stores_figures_charts_and_three_files(report):
    assert (report.state, report.progress) == ("ready", 100)
    assert report.figures["overview"]["tickets"] == 6
    assert {"faults_by_level", "sla_by_kind", "mttr_by_level"} <= set(report.charts)
    for fmt in ("pdf", "docx", "xlsx"):
        assert getattr(report, fmt).name.endswith(f".{fmt}")


def test_pdf_opens_with_chinese_headings_and_chart_images(report):
    pdf = PdfReader(report.pdf.open("rb"))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "系统运行情况分析季度报告" in text
    for heading in HEADINGS:
        assert heading in text
    assert "江宁端局" in text
    assert sum(len(page.images) for page in pdf.pages) >= 3


def test_word_has_the_headings_tables_and_charts(report):
    word = Document(io.BytesIO(report.docx.open("rb").read()))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for heading in HEADINGS:
        assert heading in headings
    assert len(word.inline_shapes) >= 3
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"电话支持响应", "66.7%", "江宁端局"} <= cells


def test_excel_has_one_sheet_per_section_with_numbers(report):
    book = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    assert book.sheetnames[0] == "报告信息"
    assert book.sheetnames[1:] == [h[:31] for h in [
        "一、概况", "二、故障统计", "三、服务时限达成情况", "四、平均修复时间（MTTR）",
        "五、重复故障",
        "六、硬件维修、备件借用与服务权益使用", "七、巡检完成情况", "八、客户投诉与满意度",
        "九、告警统计（待接入监控平台）", "十、故障原因分析", "十一、系统维护存在的问题",
        "十二、维护改进建议",
    ]]  # fmt: skip
    sheet = book["二、故障统计"]
    assert sheet["A1"].value == "二、故障统计"
    values = [[c.value for c in row][:2] for row in sheet.iter_rows()]
    assert ["一级（紧急）", 1] in values  # numbers stay numbers
    assert len(sheet._images) >= 2


def test_customer_is_told_once_when_a_closed_period_is_ready(report, quarter):
    quarter.desk.customer  # noqa: B018
    sent = Notification.objects.filter(kind="analysis_report")
    assert sent.exists()
    assert {n.dedupe_key for n in sent} == {f"report:{report.pk}:ready"}
    assert report.notified_at is not None
    again = services.request_report(
        quarter.contract, period_kind="quarter", day=dt.date(2026, 1, 1),
        actor=quarter.desk.manager,
    )  # fmt: skip
    from weibao.reporting.generation import generate_report

    generate_report(again.pk)
    assert Notification.objects.filter(kind="analysis_report").count() == sent.count()
    assert AnalysisReport.objects.count() == 1


def test_engineer_sections_survive_regeneration_and_reach_the_files(report, quarter):
    engineer = quarter.desk.engineer
    services.save_sections(
        report, cause_analysis="摄像机电源适配器老化，雨季受潮。",
        improvement_suggestions="更换江宁端局摄像机电源。", actor=engineer,
    )  # fmt: skip
    report.refresh_from_db()
    assert not report.pdf  # rendered again on the next download
    from weibao.reporting.generation import ensure_file

    report = ensure_file(report, "docx")
    word = Document(io.BytesIO(report.docx.open("rb").read()))
    assert "摄像机电源适配器老化，雨季受潮。" in [p.text for p in word.paragraphs]
    services.request_report(
        quarter.contract,
        period_kind="quarter",
        day=dt.date(2026, 2, 1),
        actor=quarter.desk.manager,
    )
    from weibao.reporting.generation import generate_report

    report = generate_report(report.pk)
    assert report.cause_analysis == "摄像机电源适配器老化，雨季受潮。"

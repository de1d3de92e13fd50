"""EMP-1..3: the 表 17 register, ranked alternatives, drills, site readiness and the poster."""

import datetime as dt
import io

import pytest

from weibao.core.errors import DomainError
from weibao.emergency import selectors, services
from weibao.emergency.choices import DrillOutcome, Duty
from weibao.emergency.models import EmergencyEvent, Responsibility
from weibao.emergency.poster import poster_pdf

pytestmark = pytest.mark.django_db


def test_register_holds_the_ten_events_of_table_17():
    events = EmergencyEvent.objects.filter(customer__isnull=True).order_by("order")
    assert [e.name for e in events] == [
        "病毒攻击", "网络设备故障", "防火墙故障", "人为破坏", "灾害",
        "线路故障", "网络入侵", "主机故障", "软件故障", "电源（UPS）故障",
    ]  # fmt: skip
    virus = events.get(code="virus")
    assert (virus.assets_involved, virus.impact, virus.get_probability_display(), virus.level) == (
        "服务器、网络系统",
        "业务受到影响",
        "高",
        1,
    )
    assert (
        virus.prevention == "安装防病毒软件并定期升级；加强内部介质管理；数据备份；设定VLAN访问控制"
    )
    assert virus.emergency_measures == "杀病毒"
    power = events.get(code="power")
    assert (power.source_name, power.assets_involved, power.impact) == (
        "供电故障",
        "UPS",
        "所有机房内设备供电",
    )
    assert (power.get_probability_display(), power.level) == ("低", 3)
    assert power.emergency_measures == "临时使用备用电源"
    host = events.get(code="host")
    assert (host.get_probability_display(), host.level) == ("中", 2)
    disaster = events.get(code="disaster")
    assert (disaster.source_name, disaster.get_probability_display()) == ("灾难", "很低")


def test_every_event_has_several_ranked_alternatives():
    for event in EmergencyEvent.objects.all():
        ranks = list(event.alternatives.values_list("rank", flat=True))
        assert len(ranks) >= 2 and ranks == list(range(1, len(ranks) + 1)), event


@pytest.fixture
def center(world):
    from weibao.sites.models import SiteKind

    site = world.site_a
    site.kind = SiteKind.MONITORING_CENTER
    site.duty_phone = "025-86661111"
    site.save()
    return site


def test_drill_is_recorded_in_the_site_archive(center, world, manager):
    from weibao.core.selectors import archive_for_site

    event = EmergencyEvent.objects.get(code="power")
    drill = services.record_drill(
        customer=world.customer_a, site=center, event=event,
        alternative=event.alternatives.get(rank=1), held_on=dt.date(2026, 3, 1),
        scenario="市电中断，UPS 电池供电", participants="孔工、李工程师、值班员",
        outcome=DrillOutcome.PARTIAL, follow_ups="更换 2 号 UPS 电池组",
        actor=manager,
    )  # fmt: skip

    assert drill.get_outcome_display() == "部分达到"
    assert any("市电中断" in entry.message for entry in archive_for_site(center))


def test_drill_of_another_customers_site_is_refused(world, manager):
    with pytest.raises(DomainError) as refused:
        services.record_drill(
            customer=world.customer_a, site=world.site_b, held_on=dt.date(2026, 3, 1),
            scenario="断网", participants="甲", outcome=DrillOutcome.ACHIEVED,
            actor=manager,
        )  # fmt: skip
    assert refused.value.code == "wrong_customer"


def test_readiness_checklist_reflects_register_drills_and_site_findings(
    center, world, frozen_clock, manager
):
    frozen_clock(dt.datetime(2026, 3, 10, 9, 0))
    items = {item.code: item for item in selectors.readiness(center)}
    assert items["alternatives"].ok  # seed: every event has ranked alternatives
    assert not items["responsibilities"].ok and not items["drills"].ok
    assert not items["power"].ok and not items["flowchart"].ok

    Responsibility.objects.create(
        customer=world.customer_a, duty=Duty.LEAD, name="张维护经理", phone="13800000005"
    )
    services.record_drill(
        customer=world.customer_a, held_on=dt.date(2026, 3, 1), scenario="核心交换机故障",
        participants="应急小组", outcome=DrillOutcome.ACHIEVED, actor=manager,
    )  # fmt: skip
    services.update_readiness(
        center, flowchart_posted=True, contacts_posted=True, ups_minutes=45,
        dual_power_feed=False, hot_standby=True, offsite_backup=True, actor=manager,
    )  # fmt: skip

    items = {item.code: item for item in selectors.readiness(center)}
    assert items["responsibilities"].ok and "张维护经理" in items["responsibilities"].detail
    assert items["drills"].ok
    assert not items["power"].ok  # 45 minutes of UPS is less than an hour
    services.update_readiness(center, dual_power_feed=True, actor=manager)
    assert {i.code: i for i in selectors.readiness(center)}["power"].ok


def test_poster_pdf_has_the_flow_contacts_and_hotline(center, world):
    from pypdf import PdfReader

    from weibao.testing import factories as f

    provider = world.customer_a.provider
    provider.hotline = "400-800-1234"
    provider.save()
    f.ContactFactory(
        customer=world.customer_a, name="孔工", role="responsible", phone="13900000003"
    )
    Responsibility.objects.create(
        customer=world.customer_a, duty=Duty.LEAD, name="张维护经理", phone="13800000005",
        address="南京市鼓楼区",
    )  # fmt: skip

    pdf = poster_pdf(center)

    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4
    for heading in ("应急预案流程图及应急联系信息", "应急处理流程", "一级故障升级流程",
                    "应急联系人", "应急事件及首选方案"):  # fmt: skip
        assert heading in text, heading
    assert "400-800-1234" in text and "13900000003" in text and "张维护经理" in text
    assert "119" in text and "025-86661111" in text
    assert "服务中心总经理" in text  # the top of the L1 ladder

"""The L1 emergency actions read in the reader's language: the ticket page, the history of a
completed action. A label written otherwise (an
older row, an administrator's text) is shown as stored."""

import pytest
from django.utils import translation

from weibao.core.models import ChangeLog
from weibao.escalations.services import complete_action

pytestmark = pytest.mark.django_db


def test_an_l1_tickets_actions_read_in_english_and_in_chinese(desk):
    ticket = desk.open(level="L1")
    complete_action(ticket, "notify_leadership", actor=desk.agent)
    action = ticket.emergency_actions.get(code="notify_leadership")
    event = ChangeLog.objects.filter(message_id="完成：%(label)s").get()
    with translation.override("en"):
        assert str(action.label_text) == (
            "Phone the person in charge and the maintenance manager within 15 minutes"
        )
        assert "Phone the person in charge" in event.text
    with translation.override("zh-hans"):
        assert str(action.label_text) == "15 分钟内电话通知负责人和维护管理经理"
        assert event.text == "完成：15 分钟内电话通知负责人和维护管理经理"


def test_the_ticket_page_in_english_shows_the_actions_in_english(client, desk):
    ticket = desk.open(level="L1")
    desk.agent.language = "en"
    desk.agent.save(update_fields=["language"])
    client.force_login(desk.agent)
    page = client.get(f"/tickets/{ticket.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sub-center expert connects remotely" in text
    assert "子中心专家远程访问" not in text


def test_a_label_written_otherwise_is_shown_as_stored(desk):
    ticket = desk.open(level="L1")
    action = ticket.emergency_actions.get(code="form_emergency_team")
    action.label = "服处经理成立应急小组（本合同约定 20 分钟）"
    action.save(update_fields=["label"])
    with translation.override("en"):
        assert action.label_text == "服处经理成立应急小组（本合同约定 20 分钟）"

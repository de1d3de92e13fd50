import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from weibao.calendars import workdays

SCHEDULE_2027 = """\
# 2027 年部分节假日安排（测试用）
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-13,workday,调休上班
"""


@pytest.fixture(autouse=True)
def fresh_calendar_index():
    """Each test's database (rolled back afterwards) gets its own index."""
    workdays.invalidate_index()
    yield
    workdays.invalidate_index()


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="planner", password="pw-123456")


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser(
        username="admin", password="pw-123456", email="admin@example.com"
    )


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def schedule_2027():
    return SCHEDULE_2027

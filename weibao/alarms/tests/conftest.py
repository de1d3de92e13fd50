import datetime as dt
import pathlib

import pytest

from weibao.testing.factories import AlarmSourceFactory, AssetFactory, SiteFactory

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
# The fixtures' alarms happened on 2026-03-02 around 09:00 in Shanghai (01:00 UTC).
NOW = dt.datetime(2026, 3, 2, 9, 0)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True)
def _no_remembered_sources():
    """Each test looks its sources up afresh (the token lookup is kept in memory)."""
    from weibao.alarms.services.credentials import forget_sources

    forget_sources()
    yield
    forget_sources()


@pytest.fixture
def site_world(db):
    """One customer's end office EO-01 with its FSU; the sources are made per test."""
    site = SiteFactory(code="EO-01")
    asset = AssetFactory(site=site, serial_number="FSU-0001", name="EO-01 FSU")
    return site, asset


@pytest.fixture
def make_source(site_world):
    site, _asset = site_world

    def make(kind: str, **kwargs):
        return AlarmSourceFactory(customer=site.customer, kind=kind, **kwargs)

    return make


@pytest.fixture
def post(client):
    """POST a body to a source's address with its token."""

    def send(source, body: bytes, *, content_type="application/json", path=None, **headers):
        kind = source.kind.replace("_", "-")
        url = path or f"/api/alarms/{kind}/{source.slug}/"
        if "HTTP_AUTHORIZATION" not in headers and "no_auth" not in headers:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {source.token}"
        headers.pop("no_auth", None)
        return client.post(url, data=body, content_type=content_type, **headers)

    return send


@pytest.fixture
def inbox_refused(db):
    """Make the database itself refuse writes to the correlation inbox (a trigger, as a full
    disk or a failed constraint would): the last write of an intake transaction fails, so
    everything written before it must roll back. Dropped with the test's transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION alarms_test_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER alarms_test_refuse BEFORE INSERT ON alarms_alarmchange "
                "FOR EACH ROW EXECUTE FUNCTION alarms_test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER alarms_test_refuse BEFORE INSERT ON alarms_alarmchange BEGIN "
                "SELECT RAISE(ABORT, 'No space left on device'); END"
            )

    def lift():
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER alarms_test_refuse ON alarms_alarmchange"
                if connection.vendor == "postgresql"
                else "DROP TRIGGER alarms_test_refuse"
            )

    return lift

import datetime as dt
import pathlib

import pytest

from weibao.testing.factories import AlarmSourceFactory, AssetFactory, SiteFactory

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
# The fixtures' alarms happened on 2026-03-02 around 09:00 in Shanghai (01:00 UTC).
NOW = dt.datetime(2026, 3, 2, 9, 0)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


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

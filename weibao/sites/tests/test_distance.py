import pytest

from weibao.tenancy.geo import great_circle_km
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def test_great_circle_distance_nanjing_to_suzhou():
    # Nanjing (32.0603 N, 118.7969 E) to Suzhou (31.2990 N, 120.5853 E): about 187 km
    assert great_circle_km(32.0603, 118.7969, 31.2990, 120.5853) == pytest.approx(187, abs=3)


def test_site_distance_is_from_its_service_point_or_the_recorded_road_distance():
    point = f.ServicePointFactory(latitude=32.0603, longitude=118.7969)
    site = f.SiteFactory(service_point=point, latitude=31.2990, longitude=120.5853)
    assert site.distance_km == pytest.approx(187, abs=3)
    site.road_distance_km = 215
    assert site.distance_km == 215.0


def test_site_without_service_point_has_no_distance():
    assert f.SiteFactory(service_point=None).distance_km is None

"""Dispatch proposals: which engineer to send to a ticket's site.

Each provider engineer is scored in "kilometre equivalents" — lower is better:

    score = distance from their service point to the site
          + LOAD_KM for every visit they have open
          + NO_SKILL_KM when they do not list the ticket's equipment category
          (an engineer without a service point counts UNKNOWN_DISTANCE_KM away)

so a nearby engineer with two open visits can lose to an idle one 60 km further, and a
specialist can be worth a longer drive. The maintenance manager sees the figures and decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from weibao.accounts.choices import Role
from weibao.accounts.models import User
from weibao.fieldservice.choices import OPEN_VISIT_STATES
from weibao.fieldservice.models import EngineerProfile
from weibao.tenancy.geo import great_circle_km

LOAD_KM = 40.0
NO_SKILL_KM = 150.0
UNKNOWN_DISTANCE_KM = 1000.0


@dataclass(frozen=True)
class Proposal:
    """One engineer as a candidate for a ticket, with the figures behind the ranking."""

    engineer: User
    service_point: object | None
    distance_km: float | None
    open_visits: int
    skills: tuple[str, ...]
    skill_match: bool | None  # None: the ticket names no equipment category
    score: float

    def as_dict(self) -> dict:
        return {
            "service_point": str(self.service_point) if self.service_point else "",
            "distance_km": self.distance_km,
            "open_visits": self.open_visits,
            "skill_match": self.skill_match,
            "score": self.score,
        }


def score(distance_km: float | None, open_visits: int, skill_match: bool | None) -> float:
    """The ranking figure of a candidate (see the module docstring)."""
    distance = UNKNOWN_DISTANCE_KM if distance_km is None else distance_km
    penalty = NO_SKILL_KM if skill_match is False else 0.0
    return round(distance + LOAD_KM * open_visits + penalty, 1)


def distance_to_site(service_point, site) -> float | None:
    """Kilometres from a service point to a site: the site's recorded road distance when the
    point is the one serving the site, otherwise the great-circle distance."""
    if service_point is None or site is None:
        return None
    if site.service_point_id == service_point.pk and site.road_distance_km is not None:
        return float(site.road_distance_km)
    km = great_circle_km(service_point.latitude, service_point.longitude,
                         site.latitude, site.longitude)  # fmt: skip
    return round(km, 1)


def propose_engineers(ticket) -> list[Proposal]:
    """The provider's active engineers ranked for `ticket`, best first."""
    engineers = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.ENGINEER,
            provider_id=ticket.customer.provider_id,
        )
        .distinct()
        .annotate(
            open_visits=Count(
                "visits", filter=Q(visits__state__in=OPEN_VISIT_STATES), distinct=True
            )
        )
    )
    profiles = {
        p.user_id: p
        for p in EngineerProfile.objects.filter(user__in=engineers).select_related("service_point")
    }
    category = ticket.asset.category.code if ticket.asset_id else None
    site = ticket.site
    proposals = []
    for engineer in engineers:
        profile = profiles.get(engineer.pk)
        point = profile.service_point if profile else None
        skills = tuple(profile.skills) if profile else ()
        match = None if category is None else category in skills
        distance = distance_to_site(point, site)
        proposals.append(
            Proposal(
                engineer=engineer,
                service_point=point,
                distance_km=distance,
                open_visits=engineer.open_visits,
                skills=skills,
                skill_match=match,
                score=score(distance, engineer.open_visits, match),
            )
        )
    return sorted(proposals, key=lambda p: (p.score, str(p.engineer)))

"""How incident events are told (`weibao.core.event_kinds`, registered in `apps.py`).

A customer sees their own incidents, so an incident's story (opened, flapping, suppressed,
ticket opened, grown, recovered, linked, split …) stays readable in their histories and
archives, as stored. On a ticket's timeline a customer reads only that the alarms
recovered, in plain words without the incident's number, rule or counts; the rest
(linking, splitting, flapping, a failed automatic resolution and its reason) is for the
provider's staff, who read the stored sentence.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.core.event_kinds import EventKind, Telling
from weibao.incidents.choices import IncidentEvent


def _recovered(row, telling: Telling) -> str | None:
    return _("告警已全部恢复") if telling.customer else None


KINDS = [
    EventKind(IncidentEvent.RECOVERED, customer_timeline=True, words=_recovered),
    *(EventKind(kind) for kind in IncidentEvent if kind != IncidentEvent.RECOVERED),
]

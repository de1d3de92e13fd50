"""Models of the library app: versions (OTH-1), documents (OTH-2), third-party coverage
(OTH-3) and network-change consulting (OTH-4)."""

from weibao.library.models.consulting import ConsultingRequest
from weibao.library.models.coverage import (
    CoveragePeriod,
    CoverageReminder,
    ThirdPartyCoverage,
    parse_reminder_days,
)
from weibao.library.models.documents import LibraryDocument
from weibao.library.models.versions import SoftwareChange

__all__ = [
    "ConsultingRequest",
    "CoveragePeriod",
    "CoverageReminder",
    "LibraryDocument",
    "SoftwareChange",
    "ThirdPartyCoverage",
    "parse_reminder_days",
]

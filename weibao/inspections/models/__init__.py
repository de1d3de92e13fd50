from weibao.inspections.models.checklists import ChecklistItem, ChecklistTemplate, CheckResult
from weibao.inspections.models.plans import InspectionSettings, InspectionVisit, VisitMove

__all__ = [
    "CheckResult",
    "ChecklistItem",
    "ChecklistTemplate",
    "InspectionSettings",
    "InspectionVisit",
    "VisitMove",
]

"""The REST API under /api/: one router, token and session auth, OpenAPI 3 offline."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from weibao.accounts.api.views import me, permission_matrix_view
from weibao.assets.api.views import AssetCategoryViewSet, AssetViewSet
from weibao.billing.api.views import ExclusionCauseViewSet, ExclusionViewSet, StatementViewSet
from weibao.calendars.api.views import BusinessTimeViewSet, CalendarDayViewSet
from weibao.catalog.api.views import PlanViewSet, ServiceCategoryViewSet, ServiceItemViewSet
from weibao.contracts.api.views import ContractViewSet
from weibao.documents.api.views import SignedDocumentViewSet
from weibao.emergency.api.views import DrillViewSet, EmergencyEventViewSet, SiteReadinessViewSet
from weibao.feedback.api.views import CallbackViewSet, ComplaintViewSet, SurveyViewSet
from weibao.fieldservice.api.views import TrainingSessionViewSet, VisitViewSet
from weibao.incidents.api.console import (
    AlarmSourceHealthViewSet,
    AlarmViewSet,
    IncidentViewSet,
)
from weibao.incidents.api.views import (
    ClassificationRuleViewSet,
    IncidentActionsViewSet,
    MaintenanceWindowViewSet,
)
from weibao.inspections.api.views import (
    CheckResultViewSet,
    InspectionPlanViewSet,
    InspectionVisitViewSet,
)
from weibao.notifications.api.views import ChannelEndpointViewSet, NotificationViewSet
from weibao.repairs.api.views import RepairViewSet
from weibao.reporting.api.views import AnalysisReportViewSet, ReportContractViewSet
from weibao.sites.api.views import SiteViewSet
from weibao.spares.api.views import (
    LoanViewSet,
    PartTypeViewSet,
    SaleOrderViewSet,
    SparePartViewSet,
    SparePoolViewSet,
    StockMovementViewSet,
)
from weibao.tenancy.api.views import CustomerViewSet, ServicePointViewSet, contact_lookup
from weibao.tickets.api.views import CriterionViewSet, TicketViewSet
from weibao.web.api import import_master_data

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("service-points", ServicePointViewSet, basename="service-point")
router.register("sites", SiteViewSet, basename="site")
router.register("assets", AssetViewSet, basename="asset")
router.register("asset-categories", AssetCategoryViewSet, basename="asset-category")
router.register("contracts", ContractViewSet, basename="contract")
router.register("plans", PlanViewSet, basename="plan")
router.register("catalog/categories", ServiceCategoryViewSet, basename="service-category")
router.register("catalog/items", ServiceItemViewSet, basename="service-item")
router.register("calendar/days", CalendarDayViewSet, basename="calendar-day")
router.register("calendar", BusinessTimeViewSet, basename="calendar")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("classification-criteria", CriterionViewSet, basename="criterion")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-endpoints", ChannelEndpointViewSet, basename="notification-endpoint")
router.register("documents", SignedDocumentViewSet, basename="document")
router.register("field-visits", VisitViewSet, basename="field-visit")
router.register("training-sessions", TrainingSessionViewSet, basename="training-session")
router.register("exclusion-causes", ExclusionCauseViewSet, basename="exclusion-cause")
router.register("exclusions", ExclusionViewSet, basename="exclusion")
router.register("statements", StatementViewSet, basename="statement")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("repairs", RepairViewSet, basename="repair")
router.register("spare-loans", LoanViewSet, basename="spare-loan")
router.register("spare-sales", SaleOrderViewSet, basename="spare-sale")
router.register("spare-part-types", PartTypeViewSet, basename="spare-part-type")
router.register("spare-pools", SparePoolViewSet, basename="spare-pool")
router.register("spare-parts", SparePartViewSet, basename="spare-part")
router.register("stock-movements", StockMovementViewSet, basename="stock-movement")
router.register("analysis-reports", AnalysisReportViewSet, basename="analysis-report")
router.register("report-contracts", ReportContractViewSet, basename="report-contract")
router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
router.register("inspection-visits", InspectionVisitViewSet, basename="inspection-visit")
router.register("inspection-checks", CheckResultViewSet, basename="inspection-check")
router.register("emergency-events", EmergencyEventViewSet, basename="emergency-event")
router.register("emergency-drills", DrillViewSet, basename="emergency-drill")
router.register("emergency-readiness", SiteReadinessViewSet, basename="emergency-readiness")
router.register("incidents", IncidentActionsViewSet, basename="incident-action")
router.register("maintenance-windows", MaintenanceWindowViewSet, basename="maintenance-window")
router.register("incident-rules", ClassificationRuleViewSet, basename="incident-rule")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("alarms", AlarmViewSet, basename="alarm")
router.register("alarm-sources", AlarmSourceHealthViewSet, basename="alarm-source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("me/", me, name="me"),
    path("permissions/matrix/", permission_matrix_view, name="permission-matrix"),
    path("library/", include("weibao.library.api.urls")),
    path("imports/<str:kind>/", import_master_data, name="import"),
    path("contacts/lookup/", contact_lookup, name="contact-lookup"),
    path("", include(router.urls)),
]

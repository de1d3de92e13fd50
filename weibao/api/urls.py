"""The REST API under /api/: one router, token and session auth, OpenAPI 3 offline."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from weibao.accounts.api.views import me
from weibao.assets.api.views import AssetCategoryViewSet, AssetViewSet
from weibao.calendars.api.views import BusinessTimeViewSet, CalendarDayViewSet
from weibao.catalog.api.views import PlanViewSet, ServiceCategoryViewSet, ServiceItemViewSet
from weibao.contracts.api.views import ContractViewSet
from weibao.notifications.api.views import NotificationViewSet
from weibao.sites.api.views import SiteViewSet
from weibao.tenancy.api.views import CustomerViewSet, ServicePointViewSet
from weibao.tickets.api.views import CriterionViewSet, TicketViewSet

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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("me/", me, name="me"),
    path("", include(router.urls)),
]

"""The project's URLs plus the hardware apps' (until the integrator mounts them): use with
`pytest.mark.urls("weibao.repairs.tests.urls")`."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from weibao.repairs.api.views import RepairViewSet
from weibao.spares.api.views import (
    LoanViewSet,
    PartTypeViewSet,
    SaleOrderViewSet,
    SparePartViewSet,
    SparePoolViewSet,
    StockMovementViewSet,
)
from weibao.urls import urlpatterns as project

router = SimpleRouter()
router.register("repairs", RepairViewSet, basename="repair")
router.register("spare-loans", LoanViewSet, basename="spare-loan")
router.register("spare-sales", SaleOrderViewSet, basename="spare-sale")
router.register("spare-part-types", PartTypeViewSet, basename="spare-part-type")
router.register("spare-pools", SparePoolViewSet, basename="spare-pool")
router.register("spare-parts", SparePartViewSet, basename="spare-part")
router.register("stock-movements", StockMovementViewSet, basename="stock-movement")

urlpatterns = [
    path("api/", include(router.urls)),
    path("repairs/", include("weibao.repairs.urls")),
    path("spares/", include("weibao.spares.urls")),
    *project,
]

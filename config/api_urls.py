from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from appeals.api import AppealViewSet, CategoryViewSet
from assistance.api import CaseViewSet, EntryViewSet, FundViewSet
from confirmations.api import ConfirmationViewSet
from dashboard.api import StatisticsView
from grids.api import GridViewSet
from maps.api import MapAreasView, MapHomesView
from merging.api import PairViewSet
from transfers.api import DeathView, MoveOutView, TransferViewSet
from veterans.api import VeteranViewSet
from visits.api import ActivityViewSet, EventViewSet, VisitViewSet
from wishes.api import WishViewSet

router = DefaultRouter()
router.register("veterans", VeteranViewSet, basename="veteran")
router.register("grids", GridViewSet, basename="grid")
router.register("visits", VisitViewSet, basename="visit")
router.register("activities", ActivityViewSet, basename="activity")
router.register("must-visit-events", EventViewSet, basename="must-visit-event")
router.register("cases", CaseViewSet, basename="case")
router.register("funds", FundViewSet, basename="fund")
router.register("fund-entries", EntryViewSet, basename="fund-entry")
router.register("wishes", WishViewSet, basename="wish")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("appeal-categories", CategoryViewSet, basename="appeal-category")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("duplicate-pairs", PairViewSet, basename="duplicate-pair")
router.register("confirmations", ConfirmationViewSet, basename="confirmation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("statistics/", StatisticsView.as_view(), name="api-statistics"),
    path("deaths/", DeathView.as_view(), name="api-deaths"),
    path("move-outs/", MoveOutView.as_view(), name="api-move-outs"),
    path("map/areas/", MapAreasView.as_view(), name="api-map-areas"),
    path("map/homes/", MapHomesView.as_view(), name="api-map-homes"),
    path("", include(router.urls)),
]

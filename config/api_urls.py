from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from appeals.api import AppealViewSet, CategoryViewSet
from assistance.api import CaseViewSet, EntryViewSet, FundViewSet
from confirmations.api import ConfirmationViewSet
from dashboard.api import StatisticsView
from employment.api import EmployerViewSet, FairViewSet, ProfileViewSet
from employment.api import ReferralViewSet as JobReferralViewSet
from grids.api import GridViewSet
from honours.api import MeritNoticeViewSet, NominationViewSet, SelectionViewSet
from maps.api import MapAreasView, MapHomesView
from merging.api import PairViewSet
from pairing.api import PairContactViewSet, PairingViewSet
from party.api import FollowUpViewSet, MembershipViewSet, OrganisationViewSet
from projects.api import ItemViewSet as ServiceItemViewSet
from projects.api import NeedViewSet as ServiceNeedViewSet
from projects.api import ProjectViewSet as ServiceProjectViewSet
from referrals.api import ProviderViewSet, ReferralViewSet, VolunteerTeamViewSet, VolunteerViewSet
from training.api import CourseViewSet, EnrolmentViewSet
from training.api import ProviderViewSet as TrainingProviderViewSet
from transfers.api import DeathView, MoveOutView, TransferViewSet
from veterans.api import VeteranViewSet
from visits.api import ActivityViewSet, EventViewSet, VisitViewSet
from wishes.api import WishViewSet

router = DefaultRouter()
# Visits first: the submit is the API's busiest route, and the router's patterns are tried in order.
router.register("visits", VisitViewSet, basename="visit")
router.register("veterans", VeteranViewSet, basename="veteran")
router.register("grids", GridViewSet, basename="grid")
router.register("activities", ActivityViewSet, basename="activity")
router.register("must-visit-events", EventViewSet, basename="must-visit-event")
router.register("cases", CaseViewSet, basename="case")
router.register("funds", FundViewSet, basename="fund")
router.register("fund-entries", EntryViewSet, basename="fund-entry")
router.register("wishes", WishViewSet, basename="wish")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("appeal-categories", CategoryViewSet, basename="appeal-category")
router.register("service-projects", ServiceProjectViewSet, basename="service-project")
router.register("service-needs", ServiceNeedViewSet, basename="service-need")
router.register("service-items", ServiceItemViewSet, basename="service-item")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("duplicate-pairs", PairViewSet, basename="duplicate-pair")
router.register("confirmations", ConfirmationViewSet, basename="confirmation")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("providers", ProviderViewSet, basename="provider")
router.register("volunteer-teams", VolunteerTeamViewSet, basename="volunteer-team")
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("selections", SelectionViewSet, basename="selection")
router.register("nominations", NominationViewSet, basename="nomination")
router.register("merit-notices", MeritNoticeViewSet, basename="merit-notice")
router.register("trainings", CourseViewSet, basename="training-course")
router.register("training-enrolments", EnrolmentViewSet, basename="training-enrolment")
router.register("training-providers", TrainingProviderViewSet, basename="training-provider")
router.register("employment", ProfileViewSet, basename="employment-profile")
router.register("employers", EmployerViewSet, basename="employer")
router.register("job-referrals", JobReferralViewSet, basename="job-referral")
router.register("job-fairs", FairViewSet, basename="job-fair")
router.register("party-organisations", OrganisationViewSet, basename="party-organisation")
router.register("party-memberships", MembershipViewSet, basename="party-membership")
router.register("party-follow-ups", FollowUpViewSet, basename="party-follow-up")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("pair-contacts", PairContactViewSet, basename="pair-contact")

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

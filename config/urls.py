from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from assistance import mobile_urls as assistance_mobile_urls
from config import health
from core import views as core_views
from grids import views as grid_views
from veterans import views as veteran_views
from visits import mobile_urls as visits_mobile_urls

handler404 = core_views.page_not_found

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Early: every phone's visit submit comes here (POST /api/visits/), and resolving a path tries
    # each pattern above its own in turn.
    path("api/", include("config.api_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/2fa/setup/", account_views.otp_setup, name="otp_setup"),
    path("accounts/2fa/verify/", account_views.otp_verify_view, name="otp_verify"),
    path("my-grid/", grid_views.my_grid, name="my_grid"),
    # One `mobile` namespace for the phone: the visits pages and the hardship pages of assistance.
    path("m/", include(([*visits_mobile_urls.urlpatterns, *assistance_mobile_urls.urlpatterns], "mobile"))),
    path("m/", include("offline.urls")),
    path("m/appeals/", include("appeals.mobile_urls")),
    path("m/referrals/", include("referrals.mobile_urls")),
    path("m/projects/", include("projects.mobile_urls")),
    path("m/pairing/", include("pairing.mobile_urls")),
    path("m/wishes/", include("wishes.mobile_urls")),
    path("m/honours/", include("honours.mobile_urls")),
    path("m/confirmations/", include("confirmations.mobile_urls")),
    path("m/training/", include("training.mobile_urls")),
    path("m/employment/", include("employment.mobile_urls")),
    path("m/party/", include("party.mobile_urls")),
    path("m/map/", include("maps.mobile_urls")),
    path("assistance/", include("assistance.urls")),
    path("appeals/", include("appeals.urls")),
    path("referrals/", include("referrals.urls")),
    path("honours/", include("honours.urls")),
    path("wishes/", include("wishes.urls")),
    path("party/", include("party.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("print/", include("printing.urls")),
    path("exports/", include("exports.urls")),
    path("veterans/ledgers/<slug:key>.xlsx", veteran_views.ledger_download, name="veteran_ledger"),
    path("veterans/<int:pk>/photo/", veteran_views.person_photo, name="veteran_photo"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

from django.urls import path

from referrals import mobile

app_name = "referrals_mobile"

urlpatterns = [
    path("new/<int:veteran_pk>/", mobile.new_referral, name="new"),
    path("<int:pk>/", mobile.referral_page, name="detail"),
    path("<int:pk>/<slug:action>/", mobile.referral_action, name="action"),
]

from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.referral_step, name="step"),
]

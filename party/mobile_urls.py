from django.urls import path

from party import mobile

app_name = "party_mobile"

urlpatterns = [
    path("contact/<int:veteran_pk>/", mobile.record_contact, name="contact"),
]

from django.urls import path

from pairing import mobile

app_name = "pairing_mobile"

urlpatterns = [
    path("<int:veteran_pk>/contact/", mobile.new_contact, name="contact"),
]

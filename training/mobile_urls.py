from django.urls import path

from training import mobile

app_name = "training_mobile"

urlpatterns = [
    path("enrol/<int:veteran_pk>/", mobile.enrol, name="enrol"),
]

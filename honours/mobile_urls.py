from django.urls import path

from honours import mobile

app_name = "honours_mobile"

urlpatterns = [
    path("deliver/<int:veteran_pk>/", mobile.deliver, name="deliver"),
]

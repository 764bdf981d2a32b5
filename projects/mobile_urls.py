from django.urls import path

from projects import mobile

app_name = "projects_mobile"

urlpatterns = [
    path("need/<int:veteran_pk>/", mobile.need_new, name="need"),
    path("rate/<int:veteran_pk>/", mobile.rate, name="rate"),
]

from django.urls import path

from maps import mobile

app_name = "maps_mobile"

urlpatterns = [path("route/", mobile.today_route, name="route")]

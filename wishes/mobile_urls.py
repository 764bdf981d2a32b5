from django.urls import path

from wishes import mobile

app_name = "wishes_mobile"

urlpatterns = [
    path("", mobile.my_wishes, name="list"),
    path("new/<int:pk>/", mobile.new_wish, name="new"),
    path("<int:pk>/", mobile.wish_page, name="detail"),
    path("<int:pk>/fulfil/", mobile.fulfil, name="fulfil"),
]

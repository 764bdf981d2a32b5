from django.urls import path

from appeals import mobile

app_name = "appeals_mobile"

urlpatterns = [
    path("", mobile.my_appeals, name="list"),
    path("new/<int:veteran_pk>/", mobile.new_appeal, name="new"),
    path("<int:pk>/", mobile.appeal_page, name="detail"),
    path("<int:pk>/<slug:action>/", mobile.appeal_action, name="action"),
]

from django.urls import path

from confirmations import mobile

app_name = "confirmations_mobile"

urlpatterns = [path("<int:veteran_pk>/", mobile.confirm_by_visit, name="confirm")]

from django.urls import path

from employment import mobile

app_name = "employment_mobile"

urlpatterns = [
    path("<int:veteran_pk>/", mobile.visit_findings, name="visit"),
]

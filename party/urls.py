from django.urls import path

from party import views

app_name = "party"

urlpatterns = [
    path("follow-ups/<int:pk>/", views.followup_detail, name="followup"),
    path("follow-ups/<int:pk>/<slug:action>/", views.followup_step, name="followup_step"),
]

from django.urls import path

from appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("export.xlsx", views.appeal_export, name="export"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.appeal_step, name="step"),
]

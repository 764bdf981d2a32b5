from django.urls import path

from honours import views

app_name = "honours"

urlpatterns = [
    path("notices/<int:pk>/photo/", views.notice_photo, name="notice_photo"),
]

from django.urls import path

from wishes import views

app_name = "wishes"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.wish_detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", views.wish_step, name="step"),
    path("<int:pk>/photo/", views.wish_photo, name="photo"),
]

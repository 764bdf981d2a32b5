from django.urls import path

from visits import mobile

# Included by config/urls.py as the `mobile` namespace, together with assistance.mobile_urls.

urlpatterns = [
    path("", mobile.home, name="home"),
    path("v/<int:pk>/", mobile.card, name="card"),
    path("v/<int:pk>/phone/", mobile.reveal_phone, name="reveal_phone"),
    path("v/<int:pk>/visit/", mobile.visit_form, name="visit"),
    path("v/<int:pk>/event/", mobile.event_form, name="event"),
    path("inbox/", mobile.inbox, name="inbox"),
    path("activities/", mobile.activities, name="activities"),
]

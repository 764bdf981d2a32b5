from django.urls import path

from assistance import mobile as assistance_mobile
from visits import mobile

app_name = "mobile"

urlpatterns = [
    path("", mobile.home, name="home"),
    path("v/<int:pk>/", mobile.card, name="card"),
    path("v/<int:pk>/phone/", mobile.reveal_phone, name="reveal_phone"),
    path("v/<int:pk>/visit/", mobile.visit_form, name="visit"),
    path("v/<int:pk>/event/", mobile.event_form, name="event"),
    path("v/<int:pk>/hardship/", assistance_mobile.report_hardship, name="hardship"),
    path("cases/", assistance_mobile.my_cases, name="cases"),
    path("cases/<int:pk>/", assistance_mobile.case_page, name="case"),
    path("cases/<int:pk>/action/", assistance_mobile.case_action, name="case_action"),
    path("inbox/", mobile.inbox, name="inbox"),
    path("activities/", mobile.activities, name="activities"),
]

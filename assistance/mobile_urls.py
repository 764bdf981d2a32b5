"""The phone's hardship pages. They keep the `mobile:` names and sit under /m/ beside the visits
pages: config/urls.py joins both lists into the one `mobile` namespace (visits does not import
assistance)."""

from django.urls import path

from assistance import mobile

urlpatterns = [
    path("v/<int:pk>/hardship/", mobile.report_hardship, name="hardship"),
    path("cases/", mobile.my_cases, name="cases"),
    path("cases/<int:pk>/", mobile.case_page, name="case"),
    path("cases/<int:pk>/action/", mobile.case_action, name="case_action"),
]

from django.urls import path

from assistance import views

app_name = "assistance"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/step/", views.case_take_step, name="step"),
    path("cases/<int:pk>/upload/", views.case_upload, name="upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
]

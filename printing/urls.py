from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    path("archive/<int:pk>.pdf", views.archive, name="archive"),
    path("batches/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/archive.pdf", views.batch_download, name="batch_download"),
    path("receipts/<int:pk>.pdf", views.receipt, name="receipt"),
    path("notices/<int:pk>.pdf", views.notice, name="notice"),
]

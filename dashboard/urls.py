from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.board, name="board"),
    path("export.xlsx", views.export_children, name="export_children"),
    path("funds.xlsx", views.export_funds, name="export_funds"),
    path("campaigns.xlsx", views.export_campaigns, name="export_campaigns"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]

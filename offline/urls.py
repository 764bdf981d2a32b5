from django.urls import path

from offline import contact, views

# Under /m/ (the service worker's scope), in the `offline` namespace.
app_name = "offline"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.shell, name="shell"),
    path("offline/queue/", views.queue, name="queue"),
    path("offline/snapshot/", views.snapshot, name="snapshot"),
    path("v/<int:pk>/contact/", contact.contact, name="contact"),
    path("conflicts/<int:pk>/resolve/", contact.resolve, name="resolve"),
]

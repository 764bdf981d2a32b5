from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views

admin.site.site_header = _("退役军人网格化服务管理")
admin.site.site_title = _("退役军人网格化服务管理")
admin.site.index_title = _("工作台")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

"""Django's admin with our site (the workbench): listed in INSTALLED_APPS instead of
"django.contrib.admin". In a module of its own: core.apps must hold only core's AppConfig."""

from django.contrib.admin.apps import AdminConfig


class WorkbenchAdminConfig(AdminConfig):
    default_site = "core.admin_site.WorkbenchAdminSite"

from django.contrib.admin.apps import AdminConfig


class AnbiaoAdminConfig(AdminConfig):
    default_site = "config.admin_site.AnbiaoAdminSite"

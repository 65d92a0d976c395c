"""Admin URLs of the import pages, registered under /admin/ by wagtail_hooks.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.index, name="imports_index"),
    path("imports/<int:pk>/", views.job_detail, name="imports_job"),
    path("imports/<int:pk>/columns/", views.mapping, name="imports_mapping"),
    path("imports/<int:pk>/progress/", views.job_progress, name="imports_progress"),
    path("imports/<int:pk>/confirm/", views.confirm, name="imports_confirm"),
    path("imports/<int:pk>/cancel/", views.cancel, name="imports_cancel"),
    path("imports/<int:pk>/errors/", views.error_report, name="imports_error_report"),
    path(
        "imports/export/<str:resource>.<str:fmt>",
        views.export,
        name="imports_export",
    ),
]

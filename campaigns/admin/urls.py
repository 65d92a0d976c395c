from django.urls import path

from . import views

app_name = "campaigns_admin"

urlpatterns = [
    path("segments/count/", views.segment_count_view, name="segment_count"),
    path("subscriptions/add/", views.subscription_add, name="subscription_add"),
    path("newsletters/<int:pk>/", views.newsletter_manage, name="newsletter"),
    path(
        "newsletters/<int:pk>/preview/<str:language>/",
        views.newsletter_preview,
        name="newsletter_preview",
    ),
    path(
        "newsletters/<int:pk>/progress.json",
        views.newsletter_progress_json,
        name="newsletter_progress",
    ),
    path(
        "newsletters/<int:pk>/<str:action>/",
        views.newsletter_action,
        name="newsletter_action",
    ),
    path("outreach/<int:pk>/", views.outreach_manage, name="outreach"),
    path("outreach/<int:pk>/build/", views.outreach_build, name="outreach_build"),
    path(
        "outreach/<int:pk>/targets/<int:target_pk>/",
        views.outreach_outcome,
        name="outreach_outcome",
    ),
    path(
        "outreach/<int:pk>/call-sheet.csv",
        views.outreach_call_sheet,
        name="outreach_call_sheet",
    ),
]

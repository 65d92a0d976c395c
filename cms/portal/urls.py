"""Portal URLs, inside the language prefixes (/portal/, /fr/portal/, …)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("access/", views.access_request, name="access_request"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("companies/<int:employer_id>/", views.company, name="company"),
    path("companies/<int:employer_id>/change/", views.change, name="change"),
    path(
        "companies/<int:employer_id>/colleagues/", views.colleagues, name="colleagues"
    ),
    path("companies/<int:employer_id>/cases/", views.cases, name="cases"),
    path(
        "companies/<int:employer_id>/requests/new/",
        views.request_new,
        name="request_new",
    ),
    path(
        "companies/<int:employer_id>/opportunities/new/",
        views.opportunity_new,
        name="opportunity_new",
    ),
    path("requests/", views.requests_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("changes/<int:pk>/", views.proposal_detail, name="proposal"),
]

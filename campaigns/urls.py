"""Newsletter links (DESIGN.md contract), outside the language prefixes: the token,
not the URL, decides the language of the page."""

from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path(
        "newsletter/subscribe/<str:office>/<slug:slug>/",
        views.signup,
        name="signup",
    ),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/",
        views.unsubscribe_view,
        name="unsubscribe",
    ),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("t/o/<str:token>.gif", views.open_pixel, name="open"),
    path("t/c/<str:token>/", views.click, name="click"),
]

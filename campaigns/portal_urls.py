"""The preference centre inside the portal (/portal/newsletter/), for logged-in
contact persons; the same page as behind the signed link, for their address."""

from django.urls import path

from .portal_views import portal_preferences

app_name = "portal_newsletter"

urlpatterns = [path("", portal_preferences, name="preferences")]

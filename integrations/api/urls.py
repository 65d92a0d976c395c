"""/api/v1/ (included outside the language prefixes in config/urls.py)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import imports, views

app_name = "api"

router = SimpleRouter()
router.register("employers", views.EmployerViewSet, basename="employer")
router.register("contact-persons", views.ContactPersonViewSet, basename="contactperson")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register(
    "job-opportunities", views.JobOpportunityViewSet, basename="jobopportunity"
)
router.register("placements", views.PlacementViewSet, basename="placement")

urlpatterns = [
    path("openapi.json", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("problems/<slug:slug>", views.problem_type, name="problem"),
    path("imports/<str:resource>/", imports.ImportView.as_view(), name="import"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", views.not_found),
]

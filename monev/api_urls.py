"""/api/: the schema, its docs page (assets from drf-spectacular-sidecar, no CDN) and
version 1, each app's routes from its own `api.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

v1 = [
    path("", include("institutions.api")),
    path("", include("cycles.api")),
    path("", include("submissions.api")),
    path("", include("evidence.api")),
    path("", include("assessments.api")),
    path("", include("meetings.api")),
    path("", include("documents.api")),
    path("", include("letters.api")),
    path("", include("frameworks.api")),
    path("", include("sops.api")),
    path("", include("audit.api")),
    path("", include("followups.api")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/", include(v1)),
]

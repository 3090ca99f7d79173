from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from documents.views import document_verify, document_verify_lookup
from institutions.views import admin_login
from monev.converters import IdConverter
from monev.health import health

# Before the apps' URL modules are included: their patterns take ids as <id:pk>.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("institutions.urls")),
    path("", include("cycles.urls")),
    path("", include("notifications.urls")),
    path("surat/", include("letters.urls")),
    path("dokumen/", include("documents.urls")),
    path("verifikasi/", document_verify_lookup, name="document_verify_lookup"),
    path("verifikasi/<str:code>/", document_verify, name="document_verify"),
    path("rapat/", include("meetings.urls")),
    path("tindak-lanjut/", include("followups.urls")),
    path("laporan/", include("reports.urls")),
    path("isian/", include("submissions.urls")),
    path("bukti/", include("evidence.urls")),
    path("hasil/", include("assessments.urls")),
    path("rekap/", include("recap.urls")),
    path("kerangka/", include("frameworks.urls")),
    path("sop/", include("sops.urls")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    path("sehat/", health, name="health"),
    path("api/", include("monev.api_urls")),
    # Before the admin's own login: an institution's administrator is pointed to "Pengguna".
    path("admin/login/", admin_login, name="admin_login_gate"),
    path("admin/", admin.site.urls),
]
# The 500 page says when the database is what failed, and renders without it.
handler500 = "monev.errors.server_error"
handler404 = "monev.errors.not_found"

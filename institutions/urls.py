from django.urls import path

from institutions import views, views_tokens

urlpatterns = [
    path("", views.home, name="home"),
    path("opd/", views.agency_list, name="agency_list"),
    path("opd/<id:pk>/", views.agency_detail, name="agency_detail"),
    path("pengguna/", views.people, name="people"),
    path("pengguna/baru/", views.person_create, name="person_create"),
    path("pengguna/<id:pk>/", views.person_detail, name="person_detail"),
    path("pengguna/<id:pk>/ubah/", views.person_edit, name="person_edit"),
    path("pengguna/<id:pk>/undangan/", views.person_invite, name="person_invite"),
    path("pengguna/<id:pk>/nonaktifkan/", views.person_deactivate, name="person_deactivate"),
    path("pengguna/<id:pk>/aktifkan/", views.person_reactivate, name="person_reactivate"),
    path("pengguna/<id:pk>/buka-kunci/", views.person_unlock, name="person_unlock"),
    path(
        "pengguna/<id:pk>/atur-ulang-2fa/",
        views.person_reset_second_factor,
        name="person_reset_second_factor",
    ),
    path(
        "instansi/<id:pk>/pengaturan/",
        views.institution_settings_page,
        name="institution_settings",
    ),
    path(
        "instansi/<id:pk>/pengaturan/hapus-lambang/",
        views.institution_logo_remove,
        name="institution_logo_remove",
    ),
    path("impor/<slug:kind>/", views.import_rows, name="import_rows"),
    path("impor/<slug:kind>/simpan/", views.import_confirm, name="import_confirm"),
    # The person's own account.
    path("akun/", views.account, name="account"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/token-api/", views_tokens.api_tokens, name="account_api_tokens"),
    path(
        "akun/token-api/<id:pk>/cabut/",
        views_tokens.api_token_revoke,
        name="account_api_token_revoke",
    ),
    path("akun/verifikasi-dua-langkah/", views.otp_enroll, name="otp_enroll"),
    path("masuk/kode/", views.otp_verify, name="otp_verify"),
    path("masuk/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "masuk/lupa/terkirim/",
        views.auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "masuk/atur/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("undangan/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
]

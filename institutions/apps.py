from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("Instansi dan pengguna")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from institutions.middleware import note_login

        # Every login passes through django.contrib.auth.login(): the one place to note what
        # the new session still owes (see institutions.middleware).
        user_logged_in.connect(note_login, dispatch_uid="institutions.note_login")

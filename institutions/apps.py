from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("Instansi dan pengguna")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from institutions.middleware import note_login

        # Every login passes through django.contrib.auth.login(): the one place to note what
        # the new session still owes (see institutions.middleware).
        user_logged_in.connect(note_login, dispatch_uid="institutions.note_login")
        checks.register(check_required_roles)


def check_required_roles(app_configs, **kwargs):
    """OTP_REQUIRED_ROLES must name real roles: a typo would silently require nothing."""
    from django.conf import settings
    from django.core import checks

    from institutions.models import Role

    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Use role keys: {', '.join(Role.values)}.",
            id="institutions.E001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecapConfig(AppConfig):
    name = "recap"
    verbose_name = _("Rekap")

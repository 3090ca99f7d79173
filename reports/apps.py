from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan dan Berita Acara")

    def ready(self):
        from reports.kinds import register_kinds

        register_kinds()

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from institutions.models import Institution
from sops.services import LoadOutcome, SopFileError, load_sop_file


class Command(BaseCommand):
    help = "Muat berkas definisi SOP (format monev-sop/1) untuk satu instansi."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas JSON, mis. sops/data/pontianak.json")
        parser.add_argument(
            "--institution", required=True, help="kode (slug) instansi, mis. pontianak"
        )

    def handle(self, *args, file, institution, **options):
        found = Institution.objects.filter(slug=institution).first()
        if found is None:
            raise CommandError(
                _("Instansi dengan kode %(slug)r tidak ditemukan.") % {"slug": institution}
            )
        try:
            sop, outcome = load_sop_file(file, institution=found)
        except SopFileError as error:
            raise CommandError(
                _("SOP tidak dimuat, tidak ada yang diubah:") + "\n" + str(error)
            ) from None
        self.stdout.write(
            _("SOP %(code)s v%(version)s untuk %(institution)s: %(outcome)s, %(steps)s langkah.")
            % {
                "code": sop.code,
                "version": sop.version,
                "institution": found.name,
                "outcome": LoadOutcome(outcome).label,
                "steps": sop.steps.count(),
            }
        )

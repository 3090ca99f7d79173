import time

from django.core.management.base import BaseCommand

from cycles.tasks import send_step_reminders
from documents.tasks import sweep_document_jobs
from recap.tasks import send_opd_reminders

PERIODIC_TASKS = [send_step_reminders, send_opd_reminders, sweep_document_jobs]


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (SOP step reminders, OPD deadline reminders, the sweep of "
        "stuck document builds). "
        "Run it from cron every 15 minutes, or keep it running with --loop SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="repeat every SECONDS")

    def handle(self, *args, loop, **options):
        while True:
            for periodic in PERIODIC_TASKS:
                result = periodic.enqueue()
                self.stdout.write(f"{periodic.name}: {result.status}")
            if not loop:
                return
            time.sleep(loop)

from django.core.management.base import BaseCommand, CommandError

from audit.chain import chain_institution_ids, verify_chain
from institutions.models import Institution


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chains (one per institution) and report the first "
        "broken link: exits non-zero when an event was changed, inserted or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--institution", metavar="SLUG", help="check only this chain")

    def handle(self, *args, institution=None, **options):
        names = dict(Institution.objects.values_list("pk", "slug"))
        if institution is None:
            chains = chain_institution_ids()
        else:
            found = Institution.objects.filter(slug=institution).first()
            if found is None:
                raise CommandError(f"No institution with the slug {institution!r}.")
            chains = [found.pk]
        broken = 0
        for institution_id in chains:
            name = names.get(institution_id, "(no institution)")
            check = verify_chain(institution_id)
            if check.ok:
                self.stdout.write(f"{name}: OK: {check.count} events, head {check.head_hash}")
            else:
                broken += 1
                self.stderr.write(
                    f"{name}: BROKEN at event {check.broken_event} (seq {check.broken_seq}), "
                    f"after {check.count} good events: {check.problem}"
                )
        if broken:
            raise CommandError(f"{broken} broken audit chain(s).")

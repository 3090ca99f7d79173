"""Step 3: sending a signed letter to its OPDs, notifying their operators, and the receipts
(opened by the OPD)."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles.models import Assignment
from cycles.services import finish_step, start_step
from institutions.models import Membership, Role
from letters import permissions
from letters.models import STEP_ONE_KINDS, Letter, Receipt
from letters.services._common import _lock, _step_one_letters, letter_url
from notifications.messages import choice, day, phrase
from notifications.services import notify


def dispatch_letter(letter, *, by):
    """Send a signed letter to its OPDs.

    Side effects: status "dispatched"; a Receipt per recipient OPD (delivered now); audit
    "letter.dispatched"; each OPD's operators are notified (in the app and by e-mail) with
    the indicators their OPD must answer. Once every step-1 letter is dispatched, SOP step 3
    finishes and step 4 starts.
    """
    if not permissions.can_dispatch_letter(by, letter):
        raise PermissionDenied
    cycle = letter.cycle
    with transaction.atomic():
        _lock(letter)
        if letter.status == Letter.Status.DISPATCHED:
            raise ValidationError(_("Surat ini sudah dikirim."), code="dispatched")
        if letter.status != Letter.Status.SIGNED:
            raise ValidationError(_("Surat belum ditandatangani."), code="not_signed")
        recipients = list(letter.recipients.all())
        now = timezone.now()
        Receipt.objects.bulk_create(
            Receipt(letter=letter, agency=agency, delivered_at=now) for agency in recipients
        )
        letter.status = Letter.Status.DISPATCHED
        letter.dispatched_at = now
        letter.save(update_fields=["status", "dispatched_at", "updated_at"])
        record_event(
            "letter.dispatched",
            by=by,
            institution=cycle.institution,
            target=letter,
            before={"status": Letter.Status.SIGNED},
            after={"status": letter.status, "recipients": len(recipients)},
        )
        _notify_recipients(letter, recipients)
        if letter.kind in STEP_ONE_KINDS and all(
            other.status == Letter.Status.DISPATCHED for other in _step_one_letters(cycle)
        ):
            finish_step(cycle, 3, by=by, output=_("Surat ditandatangani dan dikirim ke OPD"))
            start_step(cycle, 4, by=by)
    return letter


def _notify_recipients(letter, recipients):
    """Each recipient OPD's operators: the letter, and for a step-1 letter their OPD's
    indicators and the deadline."""
    operators = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.AGENCY, agency__in=recipients, user__is_active=True
    ).select_related("user"):
        operators[membership.agency_id].append(membership.user)
    indicators = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(cycle=letter.cycle, agency__in=recipients)
        .select_related("indicator")
        .order_by("indicator__position")
    ):
        indicators[assignment.agency_id].append(assignment.indicator)
    for agency in recipients:
        if not operators[agency.pk]:
            continue
        if letter.kind not in STEP_ONE_KINDS:
            notify(
                operators[agency.pk],
                key=f"letter:{letter.pk}:dispatched:{agency.pk}",
                template=gettext_noop(
                    "%(kind)s nomor %(number)s “%(subject)s” dari %(institution)s telah "
                    "dikirim ke %(agency)s."
                ),
                params={
                    "kind": choice(letter, "kind"),
                    "number": letter.number,
                    "subject": letter.subject,
                    "institution": letter.cycle.institution.name,
                    "agency": agency.name,
                },
                url=letter_url(letter),
            )
            continue
        own = indicators[agency.pk]
        listed = (
            "; ".join(f"{node.number}. {node.name}" for node in own)
            if own
            else phrase(gettext_noop("belum ada indikator yang ditugaskan"))
        )
        notify(
            operators[agency.pk],
            key=f"letter:{letter.pk}:dispatched:{agency.pk}",
            template=gettext_noop(
                "%(kind)s nomor %(number)s “%(subject)s” dari %(institution)s telah dikirim ke "
                "%(agency)s. Batas waktu pengisian: %(deadline)s. Indikator yang harus dijawab "
                "OPD Anda (%(count)s): %(indicators)s."
            ),
            params={
                "kind": choice(letter, "kind"),
                "number": letter.number,
                "subject": letter.subject,
                "institution": letter.cycle.institution.name,
                "agency": agency.name,
                "deadline": day(letter.cycle.deadline),
                "count": len(own),
                "indicators": listed,
            },
            url=letter_url(letter),
        )


def mark_letter_opened(letter, *, by):
    """An operator opened a dispatched letter: record it on their OPD's receipt, once.

    Returns the number of receipts marked. Side effects: opened_at / opened_by of the
    receipt(s) not opened before; audit "letter.opened" when something was marked.
    """
    if not permissions.is_recipient_operator(by, letter):
        raise PermissionDenied
    own = [agency.pk for agency in permissions.recipient_agencies_of(by, letter)]
    with transaction.atomic():
        marked = Receipt.objects.filter(
            letter=letter, agency_id__in=own, opened_at__isnull=True
        ).update(opened_at=timezone.now(), opened_by=by)
        if marked:
            record_event(
                "letter.opened",
                by=by,
                institution=letter.cycle.institution,
                target=letter,
                after={"agencies": own},
            )
    return marked

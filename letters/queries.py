"""Reads of letters reused by views, services and other apps."""

from collections import defaultdict
from dataclasses import dataclass

from cycles.models import Assignment, StepRun
from cycles.permissions import CLOSING_STEP
from documents.letters import institution_fields
from frameworks.queries import indicator_rows
from institutions.models import Membership, Role
from institutions.permissions import agencies_of
from letters.models import Letter, Receipt

# The letters that carry the evaluation form: per OPD, the indicators it answers.
KINDS_WITH_FORM = (Letter.Kind.DATA_REQUEST,)

# Which statuses wait for which role (an OPD operator's letters are found by their receipts).
WAITING_FOR = {
    Role.COORDINATOR: (Letter.Status.DRAFT, Letter.Status.RETURNED),
    Role.SUPERVISOR: (Letter.Status.SUBMITTED,),
    Role.SECRETARIAT: (Letter.Status.APPROVED, Letter.Status.NUMBERED, Letter.Status.SIGNED),
}


def letter_context(letter):
    """The data of a letter for documents.letters (see documents/README.md).

    Three queries at most beyond what is already loaded (cycle and institution when not
    selected with the letter, recipients when not prefetched, the indicators of the form).
    """
    cycle = letter.cycle
    institution = cycle.institution
    recipients = list(letter.recipients.all())
    return {
        "institution": institution_fields(institution),
        "number": letter.number,
        "date": letter.letter_date,
        "place": institution.city,
        "nature": letter.nature,
        "attachment": letter.attachment,
        "subject": letter.subject,
        "addressees": [
            {
                "name": f"Kepala {agency.name}",
                "agency": agency.name,
                "short_name": agency.short_name,
            }
            for agency in recipients
        ],
        "per_agency": institution.letter_per_agency,
        "body": letter.body,
        "signer": {
            "name": letter.signer_name,
            "title": letter.signer_title,
            "nip": letter.signer_nip,
        },
        "carbon_copies": letter.carbon_copy_lines,
        "draft": not letter.is_signed,
        "attachments": evaluation_forms(letter, recipients)
        if letter.kind in KINDS_WITH_FORM
        else [],
    }


def evaluation_forms(letter, recipients):
    """Per recipient OPD, the indicators assigned to it in the cycle, with the deadline."""
    by_agency = defaultdict(list)
    assignments = (
        Assignment.objects.filter(cycle_id=letter.cycle_id, agency__in=recipients)
        .select_related("indicator__parent")
        .order_by("indicator__position")
    )
    for assignment in assignments:
        indicator = assignment.indicator
        by_agency[assignment.agency_id].append(
            {
                "number": indicator.number,
                "name": indicator.name,
                "aspect": indicator.parent.name if indicator.parent else "",
            }
        )
    return [
        {
            "title": f"Formulir Evaluasi SPBE — {agency.name}",
            "agency": agency.name,
            "deadline": letter.cycle.deadline,
            "indicators": by_agency[agency.pk],
        }
        for agency in recipients
    ]


def letters_of_cycle(cycle):
    """The cycle's letters, for the cycle page (one query)."""
    return Letter.objects.filter(cycle=cycle).select_related("cycle").order_by("kind", "id")


def dispositions_of(letter):
    """Every disposition round of the letter, oldest first, with the people (one query)."""
    return letter.dispositions.select_related("submitted_by", "decided_by").order_by("round")


def receipts_of(letter):
    """The letter's receipts per OPD with who opened it (one query)."""
    return letter.receipts.select_related("agency", "opened_by").order_by("agency__name")


@dataclass(frozen=True)
class DataRequest:
    """What one OPD has been asked for in one cycle: the dispatched letters and the
    indicators assigned to it, with the deadline."""

    cycle: object
    agency: object
    letters: list
    indicators: list
    # submissions.queries.AgencyWork, where a page shows the OPD's progress (the home).
    work: object = None


def data_requests_for(user, *, open_only=False):
    """The data requests (dispatched letters + assignments) for the OPDs the user operates
    for, newest cycle first, in two queries. `open_only`: only the cycles not finished yet
    (SOP step 8 not done), for the home page; the inbox lists every cycle's. The cycles
    come with their institution and framework (submissions.queries.agency_work reads them
    no more), the indicators from the process's kept framework trees, without their texts
    (the list shows number and name)."""
    own = agencies_of(user)
    if not own:
        return []
    # The user's OPDs' receipts of dispatched letters, each with its letter and cycle (a
    # letter to a city's 80 OPDs has 80 receipts: only the user's are read).
    receipts = (
        Receipt.objects.filter(agency__in=own, letter__status=Letter.Status.DISPATCHED)
        .select_related("letter__cycle__institution", "letter__cycle__framework")
        .order_by("-letter__cycle__year", "letter__kind", "letter_id")
    )
    if open_only:
        finished = StepRun.objects.filter(number=CLOSING_STEP, status=StepRun.Status.DONE)
        receipts = receipts.exclude(letter__cycle__in=finished.values("cycle"))
    by_cycle = {}
    for receipt in receipts:
        letter = receipt.letter
        by_cycle.setdefault(letter.cycle, {}).setdefault(receipt.agency_id, []).append(letter)
    if not by_cycle:
        return []
    indicators = {}
    for cycle in by_cycle:
        if cycle.framework_id not in indicators:
            rows = indicator_rows(cycle.framework)
            indicators[cycle.framework_id] = {node.pk: node for node in rows}
    grouped = {}
    assignments = Assignment.objects.filter(cycle__in=list(by_cycle), agency__in=own)
    for cycle_id, agency_id, indicator_id in assignments.values_list(
        "cycle_id", "agency_id", "indicator_id"
    ).order_by():
        grouped.setdefault((cycle_id, agency_id), []).append(indicator_id)
    requests = []
    for cycle, letters in by_cycle.items():
        nodes = indicators[cycle.framework_id]
        for agency in own:
            if agency.pk in letters:
                assigned = sorted(
                    (nodes[pk] for pk in grouped.get((cycle.pk, agency.pk), [])),
                    key=lambda node: node.position,
                )
                requests.append(DataRequest(cycle, agency, letters[agency.pk], assigned))
    return requests


def recipient_operator_count(letter):
    """How many active operators of the recipient OPDs dispatching would notify."""
    return (
        Membership.objects.filter(
            role=Role.AGENCY, agency__in=letter.recipients.all(), user__is_active=True
        )
        .values("user")
        .distinct()
        .count()
    )

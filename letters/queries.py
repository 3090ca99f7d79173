"""Reads of letters reused by views, services and other apps."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from cycles.models import Assignment, Cycle, StepRun
from cycles.permissions import CLOSING_STEP
from documents.formal import region_name
from documents.letters import institution_fields
from frameworks.models import Framework
from frameworks.queries import indicator_rows
from institutions.models import Institution, Membership, Role
from institutions.permissions import agencies_of
from letters.models import STEP_ONE_KINDS, IssuingUnit, Letter, NumberSequence, Receipt
from monev import plain
from submissions.queries import assignment_triples

# The letters that carry the evaluation form: per OPD, the indicators it answers.
KINDS_WITH_FORM = (Letter.Kind.DATA_REQUEST,)

# Which statuses wait for which role (an OPD operator's letters are found by their receipts).
WAITING_FOR = {
    Role.COORDINATOR: (Letter.Status.DRAFT, Letter.Status.RETURNED),
    Role.SUPERVISOR: (Letter.Status.SUBMITTED,),
    Role.SECRETARIAT: (Letter.Status.APPROVED, Letter.Status.NUMBERED, Letter.Status.SIGNED),
}


def secretariat_unit(institution):
    """The institution's issuing unit marked as the Sekretariat Daerah, or None."""
    return IssuingUnit.objects.filter(institution=institution, is_secretariat=True).first()


def register_unit(letter):
    """The issuing unit whose register numbers the letter (and whose kop it carries): the
    unit that numbered it once numbered; before, for a Surat Edaran the institution's
    secretariat unit (None when none is set: the institution's own register and kop).
    Every other letter: None."""
    if letter.number:
        return letter.issuing_unit
    if letter.kind != Letter.Kind.CIRCULAR:
        return None
    return secretariat_unit(letter.cycle.institution)


def issuing_institution_fields(institution, unit):
    """documents.letters.institution_fields of the institution, with the unit's kop lines
    and kop address in place of the institution's when the unit has kop lines (any other
    key, e.g. the logo, is kept)."""
    fields = institution_fields(institution)
    if unit is None or not unit.letterhead_lines:
        return fields
    return {
        **fields,
        "letterhead_lines": unit.letterhead_lines,
        "address": unit.address,
        "phone": "",
        "email": "",
        "website": "",
    }


def letter_context(letter):
    """The data of a letter for documents.letters (see documents/README.md). A Surat Edaran
    carries its issuing unit's kop (register_unit) and `issuer`, the office it is issued by
    ("Sekretaris Daerah Kota Pontianak").

    Three queries at most beyond what is already loaded (cycle and institution when not
    selected with the letter, recipients when not prefetched, the indicators of the form;
    the issuing unit instead of the indicators for a Surat Edaran).
    """
    cycle = letter.cycle
    institution = cycle.institution
    recipients = list(letter.recipients.all())
    circular = letter.kind == Letter.Kind.CIRCULAR
    unit = register_unit(letter) if circular else None
    extra = {"issuer": f"Sekretaris Daerah {region_name(institution)}"} if circular else {}
    return {
        **extra,
        "institution": issuing_institution_fields(institution, unit),
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
    by_cycle = {}
    for agency_id, letter in _dispatched_letters(own, open_only):
        by_cycle.setdefault(letter.cycle, {}).setdefault(agency_id, []).append(letter)
    if not by_cycle:
        return []
    indicators = {}
    for cycle in by_cycle:
        if cycle.framework_id not in indicators:
            rows = indicator_rows(cycle.framework)
            indicators[cycle.framework_id] = {node.pk: node for node in rows}
    grouped = {}
    triples = assignment_triples([cycle.pk for cycle in by_cycle], [agency.pk for agency in own])
    for cycle_id, agency_id, indicator_id in triples:
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


def _dispatched_letters(own, open_only):
    """[(OPD id, letter)] of the dispatched letters the `own` OPDs received (a letter to a
    city's 80 OPDs has 80 receipts: only theirs are read), newest cycle first, each letter
    with its cycle, the cycle's institution and framework. One plain statement (monev.plain):
    every operator's home reads it, and the ORM's query with its joins and ordering cost
    more to build than to run."""
    cycles = {}
    letters = []
    rows = plain.fetch(
        _dispatched_letters_sql(len(own), open_only),
        [*(agency.pk for agency in own), Letter.Status.DISPATCHED]
        + ([CLOSING_STEP, StepRun.Status.DONE] if open_only else []),
    )
    for row in rows:
        receipt, letter, cycle, institution, framework = plain.instances(
            (Receipt, Letter, Cycle, Institution, Framework), row
        )
        # One Cycle object per cycle, as the callers group by it.
        cycle = cycles.setdefault(cycle.pk, cycle)
        cycle.institution, cycle.framework = institution, framework
        letter.cycle = cycle
        letters.append((receipt.agency_id, letter))
    return letters


@functools.cache
def _dispatched_letters_sql(count, open_only):
    def col(alias, model, field):
        return plain.column(model, field, alias)

    finished = ""
    if open_only:
        finished = (
            f"AND NOT EXISTS (SELECT 1 FROM {plain.table(StepRun)} s "
            f"WHERE {col('s', StepRun, 'cycle')} = {col('c', Cycle, 'id')} "
            f"AND {col('s', StepRun, 'number')} = %s AND {col('s', StepRun, 'status')} = %s) "
        )
    select = plain.select(
        (Receipt, "r"),
        (Letter, "l", "r.letter"),
        (Cycle, "c", "l.cycle"),
        (Institution, "i", "c.institution"),
        (Framework, "f", "c.framework"),
    )
    return (
        f"{select}WHERE {col('r', Receipt, 'agency')} IN ({plain.placeholders(count)}) "
        f"AND {col('l', Letter, 'status')} = %s {finished}"
        f"ORDER BY {col('c', Cycle, 'year')} DESC, {col('l', Letter, 'kind')}, "
        f"{col('l', Letter, 'id')}"
    )


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


def circular_of(cycle):
    """The cycle's Surat Edaran Sekretaris Daerah, or None."""
    return Letter.objects.filter(cycle=cycle, kind=Letter.Kind.CIRCULAR).first()


def circular_dispatched(cycle):
    return Letter.objects.filter(
        cycle=cycle, kind=Letter.Kind.CIRCULAR, status=Letter.Status.DISPATCHED
    ).exists()


def opens_collection(letter):
    """Dispatching this letter starts SOP step 4 (the collection): it is the last step-1
    letter not yet dispatched (letters.services.dispatch_letter)."""
    if letter.kind not in STEP_ONE_KINDS or letter.status == Letter.Status.DISPATCHED:
        return False
    return not (
        Letter.objects.filter(cycle_id=letter.cycle_id, kind__in=STEP_ONE_KINDS, agency=None)
        .exclude(pk=letter.pk)
        .exclude(status=Letter.Status.DISPATCHED)
        .exists()
    )


def collection_without_circular(cycle, *, letters=None, step_runs=None):
    """SOP step 4 (the collection) runs while the Surat Edaran, its required item, has not
    been dispatched: the cycle page warns (the collection is not blocked). `letters` (the
    cycle's letters) and `step_runs` (its StepRuns, e.g. the cycle page's lines' runs), when
    the caller has them already, spare the queries."""
    if step_runs is None:
        running = StepRun.objects.filter(
            cycle=cycle, number=4, status=StepRun.Status.RUNNING
        ).exists()
    else:
        running = any(run.number == 4 and run.status == StepRun.Status.RUNNING for run in step_runs)
    if not running:
        return False
    if letters is None:
        return not circular_dispatched(cycle)
    return not any(
        letter.kind == Letter.Kind.CIRCULAR and letter.status == Letter.Status.DISPATCHED
        for letter in letters
    )


def issuing_units_of(institution):
    """The institution's issuing units with the last number of this year's register."""
    year = institution.today().year
    units = list(IssuingUnit.objects.filter(institution=institution).order_by("name"))
    last = dict(
        NumberSequence.objects.filter(issuing_unit__in=units, year=year).values_list(
            "issuing_unit_id", "last"
        )
    )
    for unit in units:
        unit.last_number = last.get(unit.pk, 0)
    return units

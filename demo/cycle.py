"""The demo's current-year cycle of Kota Pontianak, in SOP step 4: letters drafted,
disposed (one return round), numbered, signed and dispatched; some OPDs done and
reviewed, some still drafting, one answer returned with a note. Built only through the
services that users' actions call, so it shows what a real cycle looks like."""

import datetime
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from cycles import services as cycles
from evidence import services as evidence
from frameworks.models import Framework
from institutions.models import User
from letters import services as letters
from submissions import services as submissions

# Which OPDs have answered how far (by short name); the rest have not started.
DONE = ["BKPSDM", "Bappeda", "Bag. Hukum", "Inspektorat", "DPK"]
DRAFTING = ["BKD", "Bag. Organisasi"]
# Late OPDs that asked for more time (the returned BKPSDM answer needs it too).
LATE_REOPENED = [
    ("BKPSDM", "Perbaikan isian indikator 36 yang dikembalikan verifikator."),
    ("BKD", "Operator baru ditunjuk; data dukung masih dikumpulkan."),
]
RETURNED = (
    "BKPSDM",
    36,
    "Lampirkan juga SK penetapan aplikasi kepegawaian dan bukti integrasinya.",
)


def pdf(name):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


# The SOP's actors by role, as demo.builder.STAFF names them (before the prefix).
STAFF_USERNAMES = {
    "coordinator": "koordinator",
    "supervisor": "kabid",
    "secretariat": "sekretariat",
    "evaluator": "evaluator",
    "leader": "sekda",
}


def staff(prefix=""):
    """{role key: User} of the SOP's actors of the institution whose usernames start with
    `prefix` (see demo.builder.build_institution)."""
    users = User.objects.in_bulk(
        [prefix + name for name in STAFF_USERNAMES.values()], field_name="username"
    )
    return {key: users[prefix + name] for key, name in STAFF_USERNAMES.items()}


def operators(institution):
    """{agency pk: its operator} for the institution's OPDs (one operator each)."""
    return {
        user.memberships.all()[0].agency_id: user
        for user in User.objects.filter(
            institution=institution, memberships__role="agency"
        ).prefetch_related("memberships")
    }


def build_current_cycle(institution):
    """Opened three weeks ago with the deadline three days ago: the OPDs that have not
    handed in are late, and two of them were given more time."""
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=21), tick=False) as clock:
        cycle = open_with_letters(
            institution, year=today.year, deadline=today - datetime.timedelta(days=3)
        )
        clock.shift(datetime.timedelta(days=5))
        _answer(cycle, staff()["coordinator"])
    coordinator = staff()["coordinator"]
    for short_name, reason in LATE_REOPENED:
        submissions.reopen_agency(
            cycle,
            institution.agencies.get(short_name=short_name),
            by=coordinator,
            until=today + datetime.timedelta(days=5),
            reason=reason,
        )
    return cycle


def approve_and_dispatch(letter, *, supervisor, secretariat):
    """SOP steps 2 and 3 for a submitted letter: the Kabid approves it, the Sekretariat
    numbers, signs (internal approval) and dispatches it."""
    letters.dispose_letter(
        letter,
        by=supervisor,
        approve=True,
        instruction="Segera proses dan kirim ke OPD.",
        addressed_to="Sekretariat Dinas",
    )
    letters.number_letter(letter, by=secretariat)
    letters.record_signature(letter, by=secretariat, internal_approval=True)
    letters.dispatch_letter(letter, by=secretariat)


def open_with_letters(institution, *, year, deadline, prefix="", assignments=None):
    """SOP steps 1 to 3 at the clock's time: the coordinator opens the cycle (`assignments`:
    {indicator: [Agency]}, None proposes them) and drafts both letters; the Kabid returns
    the data request once with a note, then approves both; the Sekretariat numbers, signs
    and dispatches them, which starts step 4."""
    people = staff(prefix)
    coordinator = people["coordinator"]
    cycle = cycles.open_cycle(
        by=coordinator,
        year=year,
        framework=Framework.objects.default(),
        agencies=institution.agencies.filter(is_active=True),
        deadline=deadline,
        contact_person=coordinator,
        contact_phone="0812-5678-1234",
        assignments=assignments,
    )
    invitation, request = letters.draft_cycle_letters(cycle, by=coordinator)
    for letter in (invitation, request):
        letters.submit_letter(letter, by=coordinator)
    letters.dispose_letter(
        request,
        by=people["supervisor"],
        approve=False,
        note="Sebutkan batas waktu pengisian di paragraf kedua dengan huruf tebal.",
    )
    letters.submit_letter(request, by=coordinator)
    for letter in (invitation, request):
        approve_and_dispatch(
            letter, supervisor=people["supervisor"], secretariat=people["secretariat"]
        )
    return cycle


def _answer(cycle, coordinator):
    assignments = cycle.assignments.select_related("indicator", "agency").order_by(
        "indicator__position"
    )
    for assignment in assignments:
        agency, indicator = assignment.agency, assignment.indicator
        if agency.short_name not in DONE + DRAFTING:
            continue
        operator = User.objects.get(memberships__agency=agency, memberships__role="agency")
        answer = submissions.save_draft(
            cycle,
            indicator,
            agency,
            by=operator,
            level=3,
            fakta=f"Peraturan Wali Kota tentang {indicator.name.split('Tingkat Kematangan ')[-1]} "
            f"(Pasal 2-5), berkas {indicator.number}.a.Perwa.pdf.",
            analisis="Kebijakan telah ditetapkan dan diterapkan di semua perangkat daerah "
            "dengan pedoman baku: kriteria tingkat 3 terpenuhi.",
            version=0,
        )
        evidence.add_file_evidence(
            cycle,
            agency,
            by=operator,
            uploaded_file=pdf(f"{indicator.number}.a.Perwa.pdf"),
            title=f"Perwa {indicator.number}/2025",
            document_date=datetime.date(2025, 3, 1),
            submission=answer,
        )
        if agency.short_name in DRAFTING:
            continue
        submissions.submit_submission(answer, by=operator)
        if (agency.short_name, int(indicator.number)) == RETURNED[:2]:
            submissions.return_submission(answer, by=coordinator, note=RETURNED[2])
        elif agency.short_name in DONE[:3]:
            submissions.accept_submission(answer, by=coordinator)

"""The demo's finished cycle of last year for Kota Pontianak: all 8 SOP steps done at their
own dates (the clock is moved with time-machine while the services run, so every step has
realistic start and finish times), letters numbered and signed, every OPD's answers with
data dukung, reviewed and accepted, the coordination meeting with attendance and notulen,
47 agreed levels, findings and follow-ups, the official form, the Berita Acara and the
Pernyataan Persetujuan Publikasi signed, the Dokumen Evaluasi SPBE generated and signed,
and the evidence package. The SOP's own papers too: the evaluator team's decree with its
members (cited by the letters, the Berita Acara and the Dokumen Evaluasi) and the Surat
Edaran Sekretaris Daerah, dispatched as step 4 starts. Built only through the services that
users' actions call."""

import datetime
import itertools
import zoneinfo

import time_machine
from django.db import transaction

from assessments import official_form
from assessments import services as assessments
from cycles import services as cycles
from cycles import team
from demo.cycle import operators, pdf, staff
from evidence import services as evidence_services
from evidence.package import build_evidence_package
from followups import services as followups
from followups.models import Finding
from frameworks.models import Framework
from institutions.models import User
from letters import services as letters
from meetings import services as meetings
from reports import services as reports
from reports.evaluation import generate_evaluation
from reports.evaluation_signing import evaluation_record, sign_evaluation
from reports.models import SignedReport
from submissions import services as submissions

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")

# Agreed levels of last year, by indicator number: a "Baik" city with some strong and some
# weak spots (the rest are level 3).
LEVELS = {
    1: 4, 2: 3, 3: 2, 4: 4, 5: 3, 6: 2, 7: 2, 8: 3, 9: 4, 10: 3, 11: 2, 12: 2, 13: 3,
    14: 2, 15: 3, 16: 4, 17: 4, 18: 3, 19: 2, 20: 3, 21: 2, 22: 2, 23: 3, 24: 2, 25: 3,
    26: 2, 27: 3, 28: 4, 29: 4, 30: 3, 31: 2, 32: 4, 33: 4, 34: 3, 35: 3, 36: 4, 37: 3,
    38: 3, 39: 2, 40: 3, 41: 2, 42: 3, 43: 2, 44: 3, 45: 4, 46: 4, 47: 3,
}  # fmt: skip

# What the team wrote for the first aspects (the Dokumen Evaluasi prints them).
FINDINGS = {
    "Kebijakan Internal Tata Kelola SPBE": (
        "Peraturan Wali Kota tentang SPBE dan tata kelola data telah ditetapkan.",
        "Kebijakan internal belum direviu dalam dua tahun terakhir.",
        "Lakukan reviu kebijakan internal SPBE dan tetapkan perubahannya tahun ini.",
        "Bag. Hukum",
    ),
    "Perencanaan Strategis SPBE": (
        "Arsitektur dan Peta Rencana SPBE tersedia dan diacu dalam RKPD.",
        "Anggaran SPBE belum dipetakan per program secara lengkap.",
        "Susun pemetaan anggaran dan belanja TIK per OPD melalui Bappeda.",
        "Bappeda",
    ),
    "Layanan Administrasi Pemerintahan Berbasis Elektronik": (
        "Layanan naskah dinas elektronik (SRIKANDI) dipakai oleh semua OPD.",
        "Layanan kepegawaian belum terintegrasi dengan layanan keuangan.",
        "Integrasikan aplikasi kepegawaian dengan aplikasi keuangan daerah.",
        "BKPSDM",
    ),
}

# The evaluator team of the finished cycle, as its decree lists it: (SOP actor key as
# demo.cycle.staff names them, or None; name, NIP, position, OPD short name or None, role,
# group). A member with an account takes the account's name, NIP and position.
TEAM = [
    ("leader", "", "", "", None, "pengarah", "koordinasi"),
    (
        None,
        "Drs. Hendri Kurniawan, M.Si.",
        "19700101 199503 1 001",
        "Kepala Dinas Komunikasi dan Informatika",
        "Diskominfo",
        "ketua",
        "koordinasi",
    ),
    ("supervisor", "", "", "", "Diskominfo", "sekretaris", "koordinasi"),
    (
        None,
        "Ir. Yuliani Sari, M.T.",
        "19730525 199803 2 006",
        "Kepala Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        "anggota",
        "koordinasi",
    ),
    ("coordinator", "", "", "", "Diskominfo", "ketua", "pokja"),
    ("evaluator", "", "", "", "Diskominfo", "anggota", "pokja"),
    (
        None,
        "Drs. Syarif Hidayat, M.M.",
        "19720919 199703 1 002",
        "Inspektur Daerah",
        "Inspektorat",
        "anggota",
        "pokja",
    ),
    (
        None,
        "Nurhayati, S.Sos., M.Si.",
        "19781130 200501 2 009",
        "Kepala Bagian Organisasi Sekretariat Daerah",
        "Bag. Organisasi",
        "anggota",
        "pokja",
    ),
]


def _at(moment):
    return datetime.datetime(*moment, tzinfo=WIB)


def demo_evidence(indicator, agency, year):
    """The demo's data dukung of one answer: one PDF. [(title, [file of each revision])]."""
    return [
        (
            f"Bukti indikator {indicator.number} {agency.short_name} {year}",
            [pdf(f"{indicator.number}.a.{agency.short_name}.pdf")],
        )
    ]


def build_previous_cycle(
    institution,
    *,
    year,
    prefix="",
    assignments=None,
    levels=LEVELS,
    evidence=demo_evidence,
    documents=True,
):
    """Run a past year's whole SOP with the clock set to each moment in turn.

    `prefix` picks the institution's staff accounts (demo.builder.build_institution);
    `assignments` ({indicator: [Agency]}, None proposes them), `levels` (indicator number →
    agreed level) and `evidence` (see demo_evidence) shape the answers. Without
    `documents` the optional papers are not rendered (the letters' and meeting's PDFs, the
    official form, the reports' files, the evidence package): only the Dokumen Evaluasi,
    which finishes step 8."""
    people = staff(prefix)
    with time_machine.travel(_at((year, 6, 2, 9, 0)), tick=False) as clock:
        cycle = _steps_one_to_three(institution, year, people, clock, assignments, documents)
        _circular(cycle, people, clock, year, documents)
        _step_four(cycle, people, clock, year, levels, evidence)
        _steps_five_and_six(cycle, people, clock, year, levels, documents)
        _step_seven(cycle, people, clock, year, documents)
        clock.move_to(_at((year, 6, 27, 9, 0)))
        generate_evaluation(cycle, by=people["coordinator"])
        clock.shift(datetime.timedelta(hours=2))
        sign_evaluation(evaluation_record(cycle), by=people["leader"], internal_approval=True)
        if documents:
            clock.shift(datetime.timedelta(minutes=20))
            build_evidence_package(cycle, by=people["coordinator"])
    return cycle


def _steps_one_to_three(institution, year, people, clock, assignments, documents):
    coordinator = people["coordinator"]
    cycle = cycles.open_cycle(
        by=coordinator,
        year=year,
        framework=Framework.objects.default(),
        agencies=institution.agencies.filter(is_active=True),
        deadline=datetime.date(year, 6, 20),
        contact_person=coordinator,
        contact_phone="0812-5678-1234",
        assignments=assignments,
    )
    _team_decree(cycle, people, year)
    step_one = letters.draft_cycle_letters(cycle, by=coordinator)
    clock.move_to(_at((year, 6, 3, 10, 0)))
    _send(
        step_one,
        people,
        clock,
        documents,
        instruction="Proses dan kirim ke OPD.",
        disposed_after=datetime.timedelta(minutes=25),
        sent_at=_at((year, 6, 4, 9, 0)),
    )
    return cycle


def _team_decree(cycle, people, year):
    """The cycle's evaluator team decree with its members (TEAM) and signed PDF, confirmed so
    that the cycle's letters and documents cite it. A decree carried from the year before
    (cycles.team.carry_decree) keeps its members and takes this year's number."""
    coordinator = people["coordinator"]
    decree = team.save_decree(
        cycle,
        by=coordinator,
        issuer=team.default_issuer(cycle.institution),
        number=f"162/DKI/Tahun {year}",
        date=datetime.date(year, 5, 28),
        title=team.default_title(cycle.institution),
    )
    if not decree.members.exists():
        for key, name, nip, position, short_name, role, group in TEAM:
            team.add_member(
                decree,
                by=coordinator,
                user=people[key] if key else None,
                name=name,
                nip=nip,
                position=position,
                agency=_agency(cycle, short_name) if short_name else None,
                role=role,
                group=group,
            )
    team.upload_decree_pdf(decree, pdf("sk-tim-evaluator-spbe.pdf"), by=coordinator)
    team.confirm_decree(decree, by=coordinator)
    return decree


def _circular(cycle, people, clock, year, documents):
    """SOP step 4's required item: the Surat Edaran Sekretaris Daerah, drafted once the
    step-1 letters are out, approved, numbered in the Sekretariat Daerah's register (the
    institution's own without one), signed and dispatched on 5 June, before the OPDs
    answer."""
    clock.move_to(_at((year, 6, 4, 14, 0)))
    circular = letters.draft_circular(cycle, by=people["coordinator"])
    _send(
        [circular],
        people,
        clock,
        documents,
        instruction="Teruskan ke Sekretariat Daerah untuk ditandatangani Sekda.",
        disposed_after=datetime.timedelta(minutes=40),
        sent_at=_at((year, 6, 5, 9, 0)),
    )
    return circular


def _send(letter_list, people, clock, documents, *, instruction, disposed_after, sent_at):
    """SOP steps 1-3 of drafted letters from the clock's time: the coordinator submits them,
    the Kabid approves them `disposed_after` later, and from `sent_at` the Sekretariat
    numbers, signs and dispatches each."""
    for letter in letter_list:
        letters.submit_letter(letter, by=people["coordinator"])
    clock.shift(disposed_after)
    for letter in letter_list:
        letters.dispose_letter(
            letter,
            by=people["supervisor"],
            approve=True,
            instruction=instruction,
            addressed_to="Sekretariat Dinas",
        )
    clock.move_to(sent_at)
    _sign_and_send(letter_list, people["secretariat"], clock, documents)


def _sign_and_send(letter_list, secretariat, clock, documents):
    for letter in letter_list:
        letters.number_letter(letter, by=secretariat)
        clock.shift(datetime.timedelta(hours=1))
        letters.record_signature(letter, by=secretariat, internal_approval=True)
        clock.shift(datetime.timedelta(hours=1))
        letters.dispatch_letter(letter, by=secretariat)
        if documents:
            letters.letter_document(letter, by=secretariat, format="pdf")


def _step_four(cycle, people, clock, year, levels, evidence):
    """Every OPD answers its indicators with its data dukung (each OPD in one transaction);
    all are accepted."""
    assignments = cycle.assignments.select_related("indicator", "agency").order_by(
        "agency__name", "indicator__position"
    )
    operator_of = operators(cycle.institution)
    clock.move_to(_at((year, 6, 10, 8, 30)))
    # Seven minutes apart, or closer when there are many answers: all before 19 June.
    step = min(datetime.timedelta(minutes=7), datetime.timedelta(days=8) / max(len(assignments), 1))
    answers = []
    for _agency, group in itertools.groupby(assignments, key=lambda a: a.agency_id):
        with transaction.atomic():
            for assignment in group:
                indicator, agency = assignment.indicator, assignment.agency
                answers.append(
                    answer(
                        cycle,
                        indicator,
                        agency,
                        operator_of[agency.pk],
                        level=levels[int(indicator.number)],
                        pieces=evidence(indicator, agency, year),
                        year=year,
                    )
                )
                clock.shift(step)
    clock.move_to(_at((year, 6, 19, 9, 0)))
    for _agency, group in itertools.groupby(answers, key=lambda a: a.agency_id):
        with transaction.atomic():
            for handed_in in group:
                submissions.accept_submission(handed_in, by=people["coordinator"])
    clock.move_to(_at((year, 6, 23, 8, 0)))
    submissions.close_collection(cycle, by=people["coordinator"])


def answer(cycle, indicator, agency, operator, *, level, pieces, year, submit=True):
    """The OPD's answer at `level` with its data dukung (`pieces`: [(title, [file of each
    revision])], the first file uploaded, the later ones as its revisions), handed in
    unless `submit` is False. Returns the answer."""
    saved = submissions.save_draft(
        cycle,
        indicator,
        agency,
        by=operator,
        level=level,
        fakta=f"Dokumen {indicator.number}.a ({agency.short_name}) menunjukkan kriteria "
        f"tingkat {level} terpenuhi.",
        analisis=f"Kriteria tingkat {level} terpenuhi; tingkat {level + 1} belum "
        "didukung bukti reviu dan evaluasi.",
        version=0,
    )
    for title, files in pieces:
        piece = evidence_services.add_file_evidence(
            cycle,
            agency,
            by=operator,
            uploaded_file=files[0],
            title=title,
            document_date=datetime.date(year, 3, 1),
            submission=saved,
        )
        for file in files[1:]:
            evidence_services.add_revision(piece, by=operator, uploaded_file=file)
    if submit:
        submissions.submit_submission(saved, by=operator)
    return saved


def _steps_five_and_six(cycle, people, clock, year, levels, documents):
    coordinator = people["coordinator"]
    clock.move_to(_at((year, 6, 23, 9, 0)))
    meeting = meetings.schedule_meeting(
        cycle,
        by=coordinator,
        starts_at=_at((year, 6, 26, 9, 0)),
        place="Ruang Rapat Pontive Center",
        agenda="Analisis data OPD dan penyepakatan hasil Evaluasi Mandiri SPBE.",
    )
    invitation = meetings.draft_meeting_invitation(meeting, by=coordinator)
    _send(
        [invitation],
        people,
        clock,
        documents,
        instruction="Undang seluruh OPD.",
        disposed_after=datetime.timedelta(minutes=30),
        sent_at=_at((year, 6, 24, 9, 0)),
    )

    clock.move_to(_at((year, 6, 26, 8, 30)))
    meetings.set_equipment(
        meeting,
        by=coordinator,
        items=[{"name": item.name, "ready": True, "note": ""} for item in meeting.equipment.all()],
    )
    for attendee in meeting.attendees.all():
        meetings.check_in(attendee, by=people["secretariat"])
    meetings.add_attendee(
        meeting, by=people["secretariat"], name="Yusuf Hidayat, S.T.", position="Narasumber"
    )
    clock.move_to(_at((year, 6, 26, 9, 0)))
    meetings.start_meeting(meeting, by=coordinator)
    _decide(cycle, people["evaluator"], clock, levels)
    meeting.refresh_from_db()
    meetings.save_minutes(
        meeting,
        by=people["secretariat"],
        text="1. Rapat dibuka oleh Kepala Dinas Kominfo.\n"
        "2. Tim SPBE membahas 47 indikator bersama OPD dan menyepakati tingkatnya.\n"
        "3. Rekomendasi perbaikan dicatat per aspek dan ditindaklanjuti OPD.",
        version=meeting.minutes_version,
    )
    if documents:
        meetings.attendance_document(meeting, by=people["secretariat"])
        meetings.minutes_document(meeting, by=people["secretariat"])
    assessment = cycle.assessment
    clock.move_to(_at((year, 6, 26, 11, 50)))
    assessments.finalize_assessment(assessment, by=coordinator)


@transaction.atomic
def _decide(cycle, evaluator, clock, levels):
    for indicator in cycle.framework.nodes.filter(kind="indicator").order_by("position"):
        level = levels[int(indicator.number)]
        assessments.set_decision(
            cycle,
            indicator,
            by=evaluator,
            level=level,
            fakta=f"Data dukung OPD untuk indikator {indicator.number} diperiksa dalam rapat.",
            analisis=f"Tim menyepakati tingkat {level} sesuai kriteria Pedoman.",
        )
        clock.shift(datetime.timedelta(minutes=3))


def _step_seven(cycle, people, clock, year, documents):
    coordinator = people["coordinator"]
    clock.move_to(_at((year, 6, 26, 13, 0)))
    aspects = {node.name: node for node in cycle.framework.nodes.filter(kind="aspect")}
    for aspect_name, (strength, weakness, recommendation, agency) in FINDINGS.items():
        aspect = aspects[aspect_name]
        followups.add_finding(cycle, by=coordinator, aspect=aspect, kind="kekuatan", text=strength)
        followups.add_finding(cycle, by=coordinator, aspect=aspect, kind="kelemahan", text=weakness)
        finding = followups.add_finding(
            cycle, by=coordinator, aspect=aspect, kind=Finding.Kind.RECOMMENDATION,
            text=recommendation,
        )  # fmt: skip
        follow_up = followups.create_follow_up(
            finding,
            by=coordinator,
            agency=_agency(cycle, agency),
            due_date=datetime.date(year, 12, 15),
        )
        if follow_up.agency.short_name == "Bappeda":
            operator = User.objects.get(memberships__agency=follow_up.agency)
            followups.update_follow_up(
                follow_up, by=operator, status="selesai", note="Pemetaan anggaran ditetapkan."
            )
    clock.shift(datetime.timedelta(minutes=30))
    for format in official_form.FORMATS if documents else ():
        official_form.official_form_document(cycle, by=coordinator, format=format)
    for kind in (SignedReport.Kind.BERITA_ACARA, SignedReport.Kind.PUBLICATION_CONSENT):
        clock.shift(datetime.timedelta(minutes=10))
        report = reports.prepare_report(cycle, by=coordinator, kind=kind)
        reports.number_report(report, by=people["secretariat"])
        reports.route_report_for_signature(report, by=people["secretariat"])
        clock.shift(datetime.timedelta(minutes=40))
        reports.sign_report(report, by=people["leader"], internal_approval=True)
        for format in ("pdf", "docx") if documents else ():
            reports.report_document(report, by=coordinator, format=format)


def _agency(cycle, short_name):
    """The OPD of that short name, else the first participant (a smaller city)."""
    agencies = cycle.agencies.order_by("pk")
    return agencies.filter(short_name=short_name).first() or agencies.first()

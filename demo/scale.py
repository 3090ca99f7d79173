"""Data at scale (`manage.py generate_scale`): cities of 80 OPDs with an operator each, all 47
indicators assigned, past cycles finished and the current one in SOP step 4, about 20,000
data dukung revisions with small real files per city; a province is 15 such cities.

Built like the demo, through the services users' actions call (demo.builder, demo.previous,
demo.cycle), with the clock set by time-machine; each OPD's writes share one transaction.
Deterministic: everything random is drawn from a generator seeded by (seed, institution),
so the same seed gives the same counts, levels, states and file contents (the hashes);
only database ids, stored file names and the current cycle's dates (relative to today)
differ between builds.
"""

import dataclasses
import datetime
import multiprocessing
import random
import struct
import time
import zlib

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from cycles.services import propose_assignments
from demo.builder import PONTIANAK_AGENCIES, STAFF, build_institution, operator_username
from demo.cycle import open_with_letters, operators, staff
from demo.previous import LEVELS, answer, build_previous_cycle
from evidence.models import EvidenceRevision
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import Agency, Institution, User
from submissions import services as submissions
from submissions.models import Submission

# OPDs after the demo city's 30: more of a city's own, then its puskesmas and kelurahan.
MORE_AGENCIES = [
    ("Sekretariat Dewan Perwakilan Rakyat Daerah", "Setwan", ""),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", "pelayanan"),
    ("Dinas Ketahanan Pangan", "DKP", ""),
    ("Dinas Tenaga Kerja", "Disnaker", "pelayanan"),
    ("Bagian Umum Sekretariat Daerah", "Bag. Umum", "aset"),
    ("Bagian Perekonomian Sekretariat Daerah", "Bag. Perekonomian", ""),
    ("Bagian Pemerintahan Sekretariat Daerah", "Bag. Pemerintahan", ""),
    ("Bagian Kesejahteraan Rakyat Sekretariat Daerah", "Bag. Kesra", ""),
    ("Bagian Protokol dan Komunikasi Pimpinan Sekretariat Daerah", "Bag. Prokopim", ""),
    ("Kecamatan Pontianak Timur", "Kec. Pontianak Timur", "pelayanan"),
    ("Kecamatan Pontianak Utara", "Kec. Pontianak Utara", "pelayanan"),
    ("Kecamatan Pontianak Tenggara", "Kec. Pontianak Tenggara", "pelayanan"),
]
# Every OPD answers at least this many indicators (the city's own choice, drawn at random).
MIN_INDICATORS = 3
# The current cycle's answers: (state, weight).
CURRENT_STATES = [
    ("empty", 25),
    ("draft", 30),
    ("submitted", 20),
    ("returned", 5),
    ("accepted", 20),
]
RETURN_NOTE = "Lengkapi data dukung dengan dokumen penetapan yang sudah ditandatangani."
TITLES = [
    "Peraturan Wali Kota",
    "SK Tim Koordinasi SPBE",
    "Laporan pelaksanaan",
    "Notulen rapat koordinasi",
    "Tangkapan layar aplikasi",
    "Dokumen reviu dan evaluasi",
    "Daftar hadir sosialisasi",
    "Surat edaran",
]
# How many revisions a piece of data dukung has (drawn per piece).
REVISIONS_PER_PIECE = [1, 1, 1, 2, 2, 3]


class ScaleError(Exception):
    """The scale data cannot be built in this database (the message says why)."""


@dataclasses.dataclass
class Summary:
    institutions: int = 0
    agencies: int = 0
    users: int = 0
    cycles: int = 0
    submissions: int = 0
    revisions: int = 0
    elapsed: float = 0.0
    built: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)
    accounts: list = dataclasses.field(default_factory=list)


def slug_of(index):
    return f"skala-{index:02d}"


def prefix_of(index, institutions):
    """Usernames carry the institution's slug once there is more than one."""
    return "" if institutions == 1 else f"{slug_of(index)}-"


def agency_rows(count):
    """(name, short name, functions) of `count` OPDs: the demo city's, then more."""
    rows = [*PONTIANAK_AGENCIES, *MORE_AGENCIES]
    extra = count - len(rows)
    # Two puskesmas to a kelurahan, numbered each on its own.
    for number in range(1, extra - extra // 3 + 1):
        rows.append((f"UPT Puskesmas Nomor {number}", f"Puskesmas {number:02d}", ""))
    for number in range(1, extra // 3 + 1):
        rows.append((f"Kelurahan Nomor {number}", f"Kelurahan {number:02d}", ""))
    return rows[:count]


def accounts(index, institutions, opds):
    """[(username, who)] of one scale institution (password DEMO_PASSWORD)."""
    prefix = prefix_of(index, institutions)
    rows = [(prefix + username, role) for username, _name, _position, role in STAFF]
    rows += [
        (operator_username(prefix, short), f"operator {short}")
        for _n, short, _f in agency_rows(opds)
    ]
    return rows


def build_scale(
    *, institutions=1, opds=80, past_cycles=4, revisions=20000, seed=1, jobs=1, report=None
):
    """Build the scale institutions skala-01… that are not there yet (one existing is left
    as it is). `revisions` is the number of data dukung revisions per institution over all
    its cycles; `jobs` > 1 builds institutions in that many child processes (for
    PostgreSQL; SQLite writes one transaction at a time). `report(text)` receives progress
    lines. Returns a Summary of all scale institutions in the database. Raises ScaleError
    when their usernames are taken (e.g. a --city next to the demo's accounts)."""
    report = report or (lambda text: None)
    started = time.perf_counter()
    load_framework_files(shipped_framework_files())
    summary = Summary()
    todo = []
    for index in range(1, institutions + 1):
        existing = Institution.objects.filter(slug=slug_of(index)).first()
        if existing is None:
            todo.append(index)
        elif not existing.cycles.filter(year=timezone.localdate().year).exists():
            raise ScaleError(
                f"{existing.slug} is incomplete (an earlier run stopped while building it): "
                "use a fresh database."
            )
        else:
            summary.skipped.append(existing.slug)
            report(f"{existing.slug}: already present, left as it is")
    wanted = [name for index in todo for name, _who in accounts(index, institutions, opds)]
    taken = sorted(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    if taken:
        raise ScaleError(
            f"Usernames already taken by another institution: {', '.join(taken[:5])}"
            + (f" and {len(taken) - 5} more" if len(taken) > 5 else "")
            + " (e.g. the demo's: use a fresh database, or --province for prefixed names)."
        )
    options = {
        "institutions": institutions,
        "opds": opds,
        "past_cycles": past_cycles,
        "revisions": revisions,
        "seed": seed,
    }
    if jobs > 1 and len(todo) > 1:
        summary.built = _build_in_children(todo, options, jobs, report)
    else:
        summary.built = [build_one(index, **options, report=report) for index in todo]
    _count(summary, institutions, opds)
    summary.elapsed = time.perf_counter() - started
    return summary


def _build_in_children(todo, options, jobs, report):
    global _child_report
    _child_report = report  # the forked children inherit it
    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(todo))) as pool:
        return pool.starmap(_build_child, [(index, options) for index in todo])


_child_report = None


def _build_child(index, options):
    try:
        return build_one(index, **options, report=_child_report)
    finally:
        connections.close_all()


def _count(summary, institutions, opds):
    scale = Institution.objects.filter(slug__in=[slug_of(i) for i in range(1, institutions + 1)])
    summary.institutions = scale.count()
    summary.agencies = Agency.objects.filter(institution__in=scale).count()
    summary.users = User.objects.filter(institution__in=scale).count()
    summary.cycles = sum(institution.cycles.count() for institution in scale)
    summary.submissions = Submission.objects.filter(cycle__institution__in=scale).count()
    summary.revisions = EvidenceRevision.objects.filter(
        evidence__cycle__institution__in=scale
    ).count()
    summary.accounts = [
        (institution.slug, accounts(int(institution.slug.split("-")[1]), institutions, opds))
        for institution in scale.order_by("slug")
    ]


def build_one(index, *, institutions, opds, past_cycles, revisions, seed, report):
    """One scale institution, its past cycles and its current one. Returns its slug."""
    started = time.perf_counter()
    slug, prefix = slug_of(index), prefix_of(index, institutions)
    rng = random.Random(f"monev-scale:{seed}:{index}")
    with transaction.atomic():
        institution = build_institution(
            slug=slug,
            sop="pontianak",
            name=f"Pemerintah Kota Skala {index}",
            city=f"Skala {index}",
            letterhead=f"PEMERINTAH KOTA SKALA {index}\nDINAS KOMUNIKASI DAN INFORMATIKA",
            address=f"Jalan Merdeka Nomor {index}, Kota Skala {index}",
            agencies=agency_rows(opds),
            prefix=prefix,
            letter_number_format=f"005/{{seq}}/DISKOMINFO-{index:02d}/{{year}}",
            signer_name=f"Drs. Kepala Dinas Skala {index}, M.Si.",
            signer_title=f"Kepala Dinas Komunikasi dan Informatika Kota Skala {index}",
            signer_nip=f"19700101 199503 1 {index:03d}",
        )
    plan = Plan(institution, past_cycles, revisions, rng, FileMaker(f"{seed}/{slug}"))
    report(
        f"{slug}: {opds} OPDs, {opds + len(STAFF)} accounts, {len(plan.pairs)} assignments, "
        f"{revisions} revisions to upload ({time.perf_counter() - started:.0f} s)"
    )
    for year in plan.years:
        cycle = build_previous_cycle(
            institution,
            year=year,
            prefix=prefix,
            assignments=plan.assignments,
            levels=plan.levels[year],
            evidence=plan.evidence,
            documents=False,
        )
        report(f"{slug}: cycle {year} finished, {_counts(cycle)} ({_since(started)})")
    cycle = build_current(institution, prefix, plan)
    states = list(plan.current.values())
    report(
        f"{slug}: cycle {plan.this_year} in step 4, {_counts(cycle)}: "
        + ", ".join(f"{states.count(s)} {s}" for s, _w in CURRENT_STATES)
        + f" ({_since(started)})"
    )
    return slug


def _counts(cycle):
    revisions = EvidenceRevision.objects.filter(evidence__cycle=cycle).count()
    return f"{cycle.submissions.count()} answers, {revisions} revisions"


def _since(started):
    return f"{time.perf_counter() - started:.0f} s"


class Plan:
    """What one institution's cycles hold, drawn from `rng` in a fixed order: who answers
    which indicator (the same every year, as when a cycle is copied), the agreed levels of
    each past year, the state of each answer this year, and the data dukung files of every
    answer (`revisions` in all)."""

    def __init__(self, institution, past_cycles, revisions, rng, files):
        agencies = list(institution.agencies.order_by("pk"))
        self.assignments = plan_assignments(agencies, rng)
        self.pairs = [
            (node, agency) for node, chosen in self.assignments.items() for agency in chosen
        ]
        states = rng.choices(
            [state for state, _w in CURRENT_STATES],
            weights=[weight for _s, weight in CURRENT_STATES],
            k=len(self.pairs),
        )
        self.current = {
            (node.number, agency.short_name): state
            for (node, agency), state in zip(self.pairs, states, strict=True)
        }
        self.this_year = timezone.localdate().year
        self.years = [self.this_year - past_cycles + k for k in range(past_cycles)]
        self.levels = {year: _levels(rng, self.this_year - year) for year in self.years}
        slots = [
            (y, node.number, agency.short_name) for y in self.years for node, agency in self.pairs
        ]
        slots += [
            (self.this_year, number, short)
            for (number, short), state in self.current.items()
            if state != "empty"
        ]
        self.pieces = _pieces(slots, revisions, rng)
        self.files = files

    def state(self, indicator, agency):
        return self.current.get((indicator.number, agency.short_name), "empty")

    def evidence(self, indicator, agency, year):
        """[(title, [file of each revision])] of one answer (see demo.previous.answer)."""
        key = (year, indicator.number, agency.short_name)
        return self.files.pieces(key, self.pieces.get(key, []))


def plan_assignments(agencies, rng):
    """{indicator: [Agency]}: the proposal from the OPDs' functions, every indicator with at
    least one OPD, and every OPD with at least MIN_INDICATORS indicators."""
    framework = Framework.objects.default()
    assignments = propose_assignments(framework, agencies)
    indicators = list(assignments)
    for chosen in assignments.values():
        if not chosen:
            chosen.append(rng.choice(agencies))
    for agency in agencies:
        have = [node for node in indicators if agency in assignments[node]]
        wanted = MIN_INDICATORS + rng.randrange(3) - len(have)
        others = [node for node in indicators if node not in have]
        for node in rng.sample(others, max(0, min(wanted, len(others)))):
            assignments[node].append(agency)
    return {node: sorted(chosen, key=lambda a: a.pk) for node, chosen in assignments.items()}


def _levels(rng, years_ago):
    """Agreed levels of a past year: the demo city's, lower the longer ago, with noise."""
    drop = years_ago // 2
    return {
        number: max(1, min(5, level - drop + rng.choice([-1, 0, 0, 0, 1])))
        for number, level in LEVELS.items()
    }


def _pieces(slots, revisions, rng):
    """Spread `revisions` over the answers (`slots`) as evenly as whole numbers allow, in a
    random order, and split each answer's share into pieces of 1-3 revisions.
    Returns {slot: [revisions of each piece]}."""
    if not slots:
        return {}
    order = list(slots)
    rng.shuffle(order)
    share, extra = divmod(revisions, len(order))
    plan = {}
    for position, slot in enumerate(order):
        left, pieces = share + (position < extra), []
        while left:
            pieces.append(min(left, rng.choice(REVISIONS_PER_PIECE)))
            left -= pieces[-1]
        plan[slot] = pieces
    return plan


class FileMaker:
    """Small valid files (PDF, or PNG for every fourth piece) whose content names their
    place, so every file differs and the same seed makes the same bytes."""

    def __init__(self, stamp):
        self.stamp = stamp

    def pieces(self, key, counts):
        year, number, short = key
        result = []
        for piece, count in enumerate(counts, start=1):
            title = f"{TITLES[(int(number) + piece) % len(TITLES)]} {short} {year}"
            name = slugify(title)
            files = []
            for revision in range(1, count + 1):
                text = f"{self.stamp}/{year}/{number}/{short}/{piece}/{revision}"
                if piece % 4 == 0:
                    files.append(_upload(f"{name}-{revision}.png", tiny_png(text), "image/png"))
                else:
                    files.append(
                        _upload(f"{name}-{revision}.pdf", tiny_pdf(text), "application/pdf")
                    )
            result.append((title, files))
        return result


def _upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


def tiny_pdf(text):
    """A one-page PDF showing `text` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(text):
    """An 8×8 grey PNG carrying `text` in a tEXt chunk."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    shade = zlib.crc32(text.encode()) & 0xFF
    pixels = b"".join(b"\x00" + bytes([shade]) * 8 for _row in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00" + text.encode())
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def build_current(institution, prefix, plan):
    """This year's cycle in SOP step 4: opened three weeks ago, letters dispatched, the
    deadline a week ahead; each answer in its planned state (empty, draft, submitted,
    returned with a note, accepted), the OPDs answering over the last two weeks."""
    today = timezone.localdate()
    coordinator = staff(prefix)["coordinator"]
    with time_machine.travel(timezone.now() - datetime.timedelta(days=21), tick=False) as clock:
        cycle = open_with_letters(
            institution,
            year=plan.this_year,
            deadline=today + datetime.timedelta(days=7),
            prefix=prefix,
            assignments=plan.assignments,
        )
        clock.shift(datetime.timedelta(days=5))
        operator_of = operators(institution)
        step = datetime.timedelta(days=14) / max(len(plan.pairs), 1)
        handed_in = []
        for agency in institution.agencies.order_by("pk"):
            with transaction.atomic():
                for node in plan.assignments:
                    state = plan.state(node, agency)
                    if state == "empty":
                        continue
                    saved = answer(
                        cycle,
                        node,
                        agency,
                        operator_of[agency.pk],
                        level=2 + int(node.number) % 3,
                        pieces=plan.evidence(node, agency, plan.this_year),
                        year=plan.this_year,
                        submit=state != "draft",
                    )
                    if state != "draft":
                        handed_in.append((saved, state))
                    clock.shift(step)
        with transaction.atomic():
            for saved, state in handed_in:
                if state == "returned":
                    submissions.return_submission(saved, by=coordinator, note=RETURN_NOTE)
                elif state == "accepted":
                    submissions.accept_submission(saved, by=coordinator)
    return cycle

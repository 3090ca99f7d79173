"""The OPD operator's journey for bench_operator_journey: the data it needs (build_cycle)
and the journey itself in Chromium (run_journey), counting what a person would do.

Two scenarios, each on a phone and on a laptop (RUNS): an OPD answering for the first
time, and a returning OPD that answered the same indicators last year and starts from
those answers ("Isian tahun lalu", "Pakai isian tahun lalu").

Every action goes through a method of Person that performs it and counts it, so the
counts are what the script did, never constants. The script plays a person who uses what
the page offers: a key for the level on a laptop (a tap on a phone), Tab when the next
field is next in tab order, Ctrl+Enter to save on a laptop. A shortcut the page stops
honouring fails the run (the smoke test catches it); where the page makes the person do
more (an element covered, a caret not at the end), the extra tap is counted and reported.
"""

import datetime
import io
import re
import time
import zoneinfo
from dataclasses import dataclass, field

import time_machine
from django.db.models import Count
from django.utils import timezone
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfWriter

from cycles import services as cycles
from demo import builder as demo
from demo.cycle import approve_and_dispatch
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import User
from letters import services as letters
from submissions import services as submissions
from submissions.models import Submission

PASSWORD = demo.DEMO_PASSWORD
FIRST_YEAR, RETURNING = "first year", "returning"

# A small city is enough: every account costs a (deliberately slow) password hash.
CITY_AGENCIES = ["Diskominfo", "Bappeda", "BKD", "BKPSDM", "Inspektorat", "Bag. Hukum"]

FAKTA = (
    "Peraturan Wali Kota Pontianak Nomor 12 Tahun 2024 tentang Penyelenggaraan SPBE, "
    "Pasal 4 sampai Pasal 7, mengatur hal ini dan dijalankan sesuai SK Kepala Dinas Nomor "
    "800/115/DISKOMINFO/2024. Bukti: berkas {n}.a.Perwa-12-2024.pdf dan {n}.b.layar.png."
)
ANALISIS = (
    "Kebijakan sudah ditetapkan dan diterapkan di seluruh perangkat daerah dengan pedoman "
    "baku, sehingga kriteria tingkat {level} terpenuhi. Evaluasi berkala belum dilakukan, "
    "jadi tingkat berikutnya belum tercapai."
)
# What a returning OPD appends to last year's texts (the year's new regulation, the step
# taken since).
FAKTA_UPDATE = " Diubah dengan Perwa Nomor 7 Tahun {year}."
ANALISIS_UPDATE = " Evaluasi berkala sudah dimulai."


def level_of(number):
    """The level the bench OPDs choose for indicator `number` (2, 3 or 4)."""
    return 2 + number % 3


def last_year_fakta(number, year):
    """The FAKTA a returning OPD handed in for indicator `number` in `year`."""
    return FAKTA.format(n=number).replace("2024", str(year))


# --- Data ----------------------------------------------------------------------------------


def build_cycle(*, indicators=15):
    """Kota Pontianak (a few OPDs, the demo's accounts and password) with this year's cycle
    in SOP step 4: letters drafted, disposed, numbered, signed and dispatched, the deadline
    two weeks ahead. Each OPD of RUNS is assigned exactly the first `indicators` indicators
    and has no answers; the other OPDs get the proposed assignment. The returning OPDs of
    RUNS also handed in those indicators last year (build_previous_cycle). Returns
    {short name: operator username}. Built through the services only."""

    load_framework_files(shipped_framework_files())
    institution = demo.build_institution(
        slug="pontianak",
        name="Pemerintah Kota Pontianak",
        city="Pontianak",
        letterhead="PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
        address="Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        agencies=[row for row in demo.PONTIANAK_AGENCIES if row[1] in CITY_AGENCIES],
        prefix="",
        letter_number_format="005/{seq}/DISKOMINFO-TKPBET/{year}",
        signer_name="Drs. Hendri Kurniawan, M.Si.",
        signer_title="Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
        signer_nip="19700101 199503 1 001",
    )
    framework = Framework.objects.default()
    participants = list(institution.agencies.filter(is_active=True))
    names = [run.agency for run in RUNS]
    bench = [a for a in participants if a.short_name in names]
    first = framework.nodes.filter(children__isnull=True).order_by("position")[:indicators]
    coordinator, supervisor, secretariat = (
        User.objects.get(username=name) for name in ("koordinator", "kabid", "sekretariat")
    )
    today = timezone.localdate()
    build_previous_cycle(
        framework,
        participants,
        by=coordinator,
        year=today.year - 1,
        agencies=[a for a in bench if a.short_name in RETURNING_AGENCIES],
        indicators=list(first),
    )
    assignments = cycles.propose_assignments(framework, participants)
    for position, (indicator, assigned) in enumerate(assignments.items()):
        others = [a for a in assigned if a not in bench]
        assignments[indicator] = others + (bench if position < indicators else [])
    cycle = cycles.open_cycle(
        by=coordinator,
        year=today.year,
        framework=framework,
        agencies=participants,
        deadline=today + datetime.timedelta(days=14),
        contact_person=coordinator,
        contact_phone="0812-5678-1234",
        assignments=assignments,
    )
    for letter in letters.draft_cycle_letters(cycle, by=coordinator):
        letters.submit_letter(letter, by=coordinator)
        approve_and_dispatch(letter, supervisor=supervisor, secretariat=secretariat)
    return {
        agency.short_name: User.objects.get(memberships__agency=agency).username
        for agency in sorted(bench, key=lambda agency: names.index(agency.short_name))
    }


def build_previous_cycle(framework, participants, *, by, year, agencies, indicators):
    """Last year's cycle (same framework, deadline 20 June) in which each of `agencies`
    answered `indicators` (level, FAKTA ~250 and ANALISIS ~200 characters, last year's
    regulation) and handed them in, with the clock set to last June. Its letters are left
    out: the product finds the cycle by its year (cycles.queries.previous_cycle)."""
    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    with time_machine.travel(datetime.datetime(year, 6, 2, 9, tzinfo=wib), tick=False):
        cycle = cycles.open_cycle(
            by=by,
            year=year,
            framework=framework,
            agencies=participants,
            deadline=datetime.date(year, 6, 20),
            contact_person=by,
            contact_phone="0812-5678-1234",
            assignments=dict.fromkeys(indicators, agencies),
        )
        for agency in agencies:
            operator = User.objects.get(memberships__agency=agency)
            for indicator in indicators:
                number = int(indicator.number)
                answer = submissions.save_draft(
                    cycle,
                    indicator,
                    agency,
                    by=operator,
                    level=level_of(number),
                    fakta=last_year_fakta(number, year),
                    analisis=ANALISIS.format(level=level_of(number)),
                    version=0,
                )
                submissions.submit_submission(answer, by=operator)
    return cycle


def handed_in():
    """{short name: [answers handed in this year, of which with 2+ data dukung, of which
    last year's texts with the update appended]} of the OPDs of RUNS."""
    year = timezone.localdate().year
    result = {}
    for run in RUNS:
        answers = (
            Submission.objects.filter(
                cycle__year=year,
                agency__short_name=run.agency,
                status=Submission.Status.SUBMITTED,
            )
            .select_related("indicator")
            .annotate(files=Count("evidence"))
        )
        updated = [
            answer
            for answer in answers
            if answer.fakta
            == last_year_fakta(int(answer.indicator.number), year - 1)
            + FAKTA_UPDATE.format(year=year)
            and answer.analisis == ANALISIS.format(level=answer.level) + ANALISIS_UPDATE
        ]
        result[run.agency] = [len(answers), sum(a.files >= 2 for a in answers), len(updated)]
    return result


def make_files(folder, number):
    """Two small real files for indicator `number`: a one-page PDF and a PNG screenshot,
    each with different bytes per indicator (an OPD does not upload the same file twice)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Perwa 12/2024, indikator {number}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = folder / f"{number}.a.Perwa-12-2024.pdf"
    pdf.write_bytes(buffer.getvalue())
    png = folder / f"{number}.b.layar.png"
    Image.new("RGB", (320, 200), (number * 7 % 256, 120, 200)).save(png)
    return [pdf, png]


# --- The journey ---------------------------------------------------------------------------


@dataclass
class Viewport:
    name: str
    width: int
    height: int
    touch: bool
    chars_per_second: float  # a person's typing speed on this device
    user_agent: str = ""

    def context(self, browser):
        options = {"viewport": {"width": self.width, "height": self.height}, "locale": "id-ID"}
        if self.touch:
            options.update(has_touch=True, is_mobile=True, device_scale_factor=3)
        if self.user_agent:
            options["user_agent"] = self.user_agent
        return browser.new_context(**options)


PHONE = Viewport(
    "ponsel 390×844",
    390,
    844,
    touch=True,
    chars_per_second=2.5,  # 30 words/min
    user_agent=(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36"
    ),
)
LAPTOP = Viewport("laptop 1366×768", 1366, 768, touch=False, chars_per_second=40 * 5 / 60)


@dataclass(frozen=True)
class Run:
    """One journey of the benchmark: a scenario on a viewport, by the operator of an OPD."""

    scenario: str
    viewport: Viewport
    agency: str  # short name


RUNS = [
    Run(FIRST_YEAR, PHONE, "Diskominfo"),
    Run(FIRST_YEAR, LAPTOP, "Bappeda"),
    Run(RETURNING, PHONE, "BKD"),
    Run(RETURNING, LAPTOP, "Inspektorat"),
]
RETURNING_AGENCIES = [run.agency for run in RUNS if run.scenario == RETURNING]

# Tabbable elements of the page in tab order (no positive tabindex in this app).
_NEXT_IN_TAB_ORDER = """([target]) => {
  const all = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')].filter(
    (el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length);
  return all[all.indexOf(document.activeElement) + 1] === target;
}"""
_IN_TEXT_FIELD = """() => {
  const el = document.activeElement;
  return !!el && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && !['radio', 'checkbox', 'button', 'submit', 'file']
      .includes(el.type)) || el.isContentEditable);
}"""
_CARET_AT_END = """(el) => el === document.activeElement &&
  el.selectionStart === el.value.length && el.selectionEnd === el.value.length"""


@dataclass
class Journey:
    """Counts of one run. `steps` names every counted action, for the report."""

    viewport: Viewport
    scenario: str = FIRST_YEAR
    clicks: int = 0
    file_clicks: int = 0  # clicks that opened a file dialog (part of choosing files)
    keys: int = 0
    field_moves: int = 0  # clicks/taps/Tab that only put the cursor into a text field
    chars: int = 0  # typed into text fields
    dialogs: int = 0
    loads: int = 0
    seconds: float = 0.0
    indicators: int = 0
    per_indicator: list = field(default_factory=list)  # (a) of each indicator
    per_indicator_b: list = field(default_factory=list)  # (b) of each indicator
    indicator_steps: list = field(default_factory=list)  # the counted actions of each one
    steps: list = field(default_factory=list)
    remarks: list = field(default_factory=list)  # what cost interactions; contract gaps

    @property
    def interactions(self):
        """(a) Clicks/taps and keys besides typing and choosing files."""
        return self.clicks - self.file_clicks + self.keys

    @property
    def interactions_b(self):
        """(b) The same without the clicks/taps/Tab that only move into a text field."""
        return self.interactions - self.field_moves

    def remark(self, what):
        if what not in self.remarks:
            self.remarks.append(what)


class Person:
    """Performs actions on a page and counts them in a Journey."""

    def __init__(self, page, journey):
        self.page, self.journey = page, journey
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.journey.loads += 1

    def tap(self, locator, why, *, into_field=False, position=None):
        where = {"position": position} if position else {}
        try:
            if self.journey.viewport.touch:
                locator.tap(timeout=5_000, **where)
            else:
                locator.click(timeout=5_000, **where)
        except PlaywrightTimeout:
            # Covered by another element (a layout bug): a person would scroll or zoom.
            # Counted once, reported, and sent to the element so the run goes on.
            self.journey.remark(f"'{why}' is covered by another element and cannot be tapped")
            locator.dispatch_event("click")
        self.journey.clicks += 1
        self.journey.field_moves += into_field
        self.journey.steps.append(f"tap: {why}" + (" (into the field)" if into_field else ""))

    def press(self, key, why, *, into_field=False):
        self.page.keyboard.press(key)
        self.journey.keys += 1
        self.journey.field_moves += into_field
        self.journey.steps.append(f"key {key}: {why}" + (" (into the field)" if into_field else ""))

    def type(self, text):
        self.page.keyboard.type(text)
        self.journey.chars += len(text)

    def focus(self, locator, why):
        """Put the cursor in a field: nothing when it is there already, Tab on a laptop
        when it is next in tab order, else a tap."""
        target = locator.element_handle()
        if self.page.evaluate("(el) => el === document.activeElement", target):
            return
        if self._tab_to(target, why):
            return
        self.tap(locator, why, into_field=True)

    def to_end(self, locator, why):
        """Put the cursor at the end of a text field's text, to append to it: nothing when
        it is there already, Tab on a laptop when the field is next in tab order and Tab
        leaves the cursor at the end, else a click/tap after the last line."""
        target = locator.element_handle()
        if self.page.evaluate(_CARET_AT_END, target):
            return
        if self._tab_to(target, why) and self.page.evaluate(_CARET_AT_END, target):
            return
        box = locator.bounding_box()
        self.tap(
            locator, why, into_field=True, position={"x": box["width"] - 30, "y": box["height"] - 6}
        )
        if not self.page.evaluate(_CARET_AT_END, target):
            # The tap landed inside the text (it fills the box): one more to place the caret.
            self.journey.remark(f"a tap after the last line of {why} does not reach its end")
            if self.journey.viewport.touch:
                self.journey.clicks += 1
                self.journey.field_moves += 1
                self.journey.steps.append(f"tap: {why} (caret to the end)")
                target.evaluate("(el) => el.setSelectionRange(el.value.length, el.value.length)")
            else:
                self.press("Control+End", why, into_field=True)

    def _tab_to(self, target, why):
        """On a laptop, Tab when `target` is next in tab order (counted); whether it was."""
        if self.journey.viewport.touch:
            return False
        if self.page.evaluate(_NEXT_IN_TAB_ORDER, [target]):
            self.press("Tab", why, into_field=True)
            return True
        if self.in_text_field():
            self.journey.remark(f"'{why}' is not next in tab order after the field before it")
        return False

    def choose_files(self, locator, paths, why):
        """Tap the file picker and choose `paths` in the one dialog it opens."""
        with self.page.expect_file_chooser() as chooser:
            self.tap(locator, why)
        chooser.value.set_files([str(path) for path in paths])
        self.journey.file_clicks += 1
        self.journey.dialogs += 1

    def in_text_field(self):
        return self.page.evaluate(_IN_TEXT_FIELD)


def _exists(locator, timeout=0):
    try:
        locator.first.wait_for(state="visible", timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def run_journey(
    browser, base_url, viewport, *, username, password, indicators, folder, scenario=FIRST_YEAR
):
    """Log in as `username`, answer `indicators` indicators (first year: level, FAKTA,
    ANALISIS, two files; returning: last year's answer, updated, two files) and hand them
    all in, at `viewport`. Returns the Journey with its counts."""
    journey = Journey(viewport, scenario)
    answer = _answer_from_last_year if scenario == RETURNING else _answer_indicator
    context = viewport.context(browser)
    page = context.new_page()
    page.set_default_timeout(20_000)
    person = Person(page, journey)
    started = time.perf_counter()
    try:
        _log_in(page, person, base_url, username, password)
        _open_first_indicator(page, person)
        for _ in range(indicators):
            before, before_b = journey.interactions, journey.interactions_b
            first_step = len(journey.steps)
            answer(page, person, folder)
            journey.indicators += 1
            journey.per_indicator.append(journey.interactions - before)
            journey.per_indicator_b.append(journey.interactions_b - before_b)
            journey.indicator_steps.append(journey.steps[first_step:])
        _hand_in(page, person, indicators)
    except Exception:
        # What the page showed when the journey broke, for whoever fixes the selectors.
        page.screenshot(path=str(folder / "failure.png"), full_page=True)
        raise
    finally:
        journey.seconds = time.perf_counter() - started
        context.close()
    return journey


def _log_in(page, person, base_url, username, password):
    page.goto(f"{base_url}/masuk/")  # typing the address: not counted as an interaction
    person.focus(page.get_by_label("Nama pengguna"), "Nama pengguna")
    person.type(username)
    person.focus(page.get_by_label("Kata sandi"), "Kata sandi")
    person.type(password)
    with page.expect_navigation():
        if person.journey.viewport.touch:
            person.tap(page.get_by_role("button", name="Masuk"), "Masuk")
        else:
            person.press("Enter", "Masuk")
    page.wait_for_load_state()


def _open_first_indicator(page, person):
    """From the home page into the first indicator still to do."""
    go_on = page.get_by_role("link", name=re.compile(r"^Lanjutkan: Indikator"))
    with page.expect_navigation():
        person.tap(go_on.first, "Lanjutkan: Indikator N")


def _indicator_number(page):
    match = re.search(r"Indikator (\d+)", page.get_by_role("heading", level=1).inner_text())
    return int(match.group(1))


def _fields(page):
    return page.get_by_label(re.compile(r"^FAKTA\b")), page.get_by_label(re.compile(r"^ANALISIS\b"))


def _answer_indicator(page, person, folder):
    """First year: the level (a key on a laptop, which moves into the empty FAKTA; a tap on
    a phone), FAKTA, ANALISIS, two files, "Simpan & lanjut"."""
    number = _indicator_number(page)
    level = level_of(number)
    fakta, analisis = _fields(page)
    radio = page.get_by_role("radio", name=re.compile(rf"^{level}\b"))
    if person.journey.viewport.touch:
        person.tap(radio, "level")
    else:
        person.press(str(level), "level")
        assert radio.is_checked(), f"key {level} did not choose the level"
        assert fakta.evaluate("(el) => el === document.activeElement"), "FAKTA is not focused"
    person.focus(fakta, "FAKTA")
    person.type(FAKTA.format(n=number))
    person.focus(analisis, "ANALISIS")
    person.type(ANALISIS.format(level=level))
    _upload_files(page, person, make_files(folder, number))
    _save_and_go_on(page, person, number)


def _answer_from_last_year(page, person, folder):
    """Returning: "Pakai isian tahun lalu" (shown under last year's collapsed text), append
    this year's news to FAKTA and ANALISIS, two files, "Simpan & lanjut"."""
    number = _indicator_number(page)
    button = page.get_by_role("button", name="Pakai isian tahun lalu")
    person.tap(button, "Pakai isian tahun lalu")
    fakta, analisis = _fields(page)
    radio = page.get_by_role("radio", name=re.compile(rf"^{level_of(number)}\b"))
    assert radio.is_checked(), "'Pakai isian tahun lalu' did not choose last year's level"
    year = timezone.localdate().year
    assert fakta.input_value() == last_year_fakta(number, year - 1), "FAKTA is not last year's"
    person.to_end(fakta, "FAKTA")
    person.type(FAKTA_UPDATE.format(year=year))
    person.to_end(analisis, "ANALISIS")
    person.type(ANALISIS_UPDATE)
    _upload_files(page, person, make_files(folder, number))
    _save_and_go_on(page, person, number)


def _upload_files(page, person, paths):
    # "Pilih berkas" (a drop zone shown by JavaScript) opens the dialog of the hidden
    # <input type=file multiple>: both files in one dialog.
    button = page.get_by_role("button", name=re.compile(r"^Pilih berkas"))
    person.choose_files(button.first, paths, "Pilih berkas")
    # Each file's own progress row ends in "Selesai".
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('body *')].filter("
        "(el) => el.childElementCount === 0 && el.textContent.trim() === 'Selesai'"
        ").length >= n",
        arg=len(paths),
    )


def _save_and_go_on(page, person, number):
    """ "Simpan & lanjut": Ctrl+Enter on a laptop, a tap on a phone."""
    if person.journey.viewport.touch:
        person.tap(page.get_by_role("button", name="Simpan & lanjut"), "Simpan & lanjut")
    else:
        person.press("Control+Enter", "Simpan & lanjut")
    assert _left(page, number), f"'Simpan & lanjut' did not leave indicator {number}"


def _left(page, number, timeout=20_000):
    """Whether the page moved on from indicator `number` (to the next one or the portal)."""
    deadline = time.perf_counter() + timeout / 1000
    while time.perf_counter() < deadline:
        page.wait_for_load_state()
        heading = page.get_by_role("heading", level=1)
        if heading.count() and f"Indikator {number}." not in heading.first.inner_text():
            return True
        page.wait_for_timeout(100)
    return False


def _hand_in(page, person, indicators):
    """After the last indicator "Simpan & lanjut" lands on the OPD's portal: "Ajukan semua
    yang lengkap (N)" and "Ya, ajukan N isian" in its dialog."""
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Isian indikator"), f"not on the portal after the last: {heading}"
    person.tap(
        page.get_by_role("button", name=f"Ajukan semua yang lengkap ({indicators})"),
        "Ajukan semua yang lengkap",
    )
    confirm = page.get_by_role("dialog").get_by_role(
        "button", name=f"Ya, ajukan {indicators} isian"
    )
    with page.expect_navigation():
        person.tap(confirm, "Ya, ajukan N isian")
    page.wait_for_load_state()

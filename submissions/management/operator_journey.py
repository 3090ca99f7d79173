"""The OPD operator's journey for bench_operator_journey: the data it needs (build_cycle)
and the journey itself in Chromium (run_journey), counting what a person would do.

Every action goes through a method of Journey that performs it and counts it, so the
counts are what the script did, never constants. The script plays a person who uses what
the page offers: a key for the level on a laptop (a tap on a phone), Tab when the next
field is next in tab order, Ctrl+Enter to save on a laptop; when the page does not
respond to a shortcut, the person falls back to tapping, and that tap is counted too.
"""

import datetime
import io
import re
import time
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfWriter

from cycles import services as cycles
from demo import builder as demo
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import User
from letters import services as letters
from submissions.models import Submission

PASSWORD = demo.DEMO_PASSWORD

# Two OPDs, one per viewport, each answering the same `indicators` first indicators.
BENCH_AGENCIES = ["Diskominfo", "Bappeda"]
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


# --- Data ----------------------------------------------------------------------------------


def build_cycle(*, indicators=15, agencies=BENCH_AGENCIES):
    """Kota Pontianak (a few OPDs, the demo's accounts and password) with this year's cycle
    in SOP step 4: letters drafted, disposed, numbered, signed and dispatched, the deadline
    two weeks ahead. Each OPD of `agencies` is assigned exactly the first `indicators`
    indicators and has no answers; the other OPDs get the proposed assignment. Returns
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
    bench = [a for a in participants if a.short_name in agencies]
    assignments = cycles.propose_assignments(framework, participants)
    for position, (indicator, assigned) in enumerate(assignments.items()):
        others = [a for a in assigned if a not in bench]
        assignments[indicator] = others + (bench if position < indicators else [])
    coordinator, supervisor, secretariat = (
        User.objects.get(username=name) for name in ("koordinator", "kabid", "sekretariat")
    )
    today = timezone.localdate()
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
    return {
        agency.short_name: User.objects.get(memberships__agency=agency).username
        for agency in sorted(bench, key=lambda agency: agencies.index(agency.short_name))
    }


def handed_in(agencies=BENCH_AGENCIES):
    """{short name: [submitted answers, of which with 2+ data dukung]} of the bench OPDs."""
    result = {}
    for short_name in agencies:
        answers = Submission.objects.filter(
            agency__short_name=short_name, status=Submission.Status.SUBMITTED
        ).annotate(files=Count("evidence"))
        result[short_name] = [answers.count(), answers.filter(files__gte=2).count()]
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


@dataclass
class Journey:
    """Counts of one run. `steps` names every counted action, for the report."""

    viewport: Viewport
    clicks: int = 0
    file_clicks: int = 0  # clicks that opened a file dialog (part of choosing files)
    keys: int = 0
    chars: int = 0  # typed into text fields
    dialogs: int = 0
    loads: int = 0
    seconds: float = 0.0
    indicators: int = 0
    per_indicator: list = field(default_factory=list)  # interactions besides typing/files
    indicator_steps: list = field(default_factory=list)  # the counted actions of each one
    steps: list = field(default_factory=list)
    remarks: list = field(default_factory=list)  # what cost interactions; contract gaps

    @property
    def interactions(self):
        """Clicks and keys besides typing and choosing files."""
        return self.clicks - self.file_clicks + self.keys

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

    def tap(self, locator, why):
        try:
            if self.journey.viewport.touch:
                locator.tap(timeout=5_000)
            else:
                locator.click(timeout=5_000)
        except PlaywrightTimeout:
            # Covered by another element (a layout bug): a person would scroll or zoom.
            # Counted once, reported, and sent to the element so the run goes on.
            self.journey.remark(f"'{why}' is covered by another element and cannot be tapped")
            locator.dispatch_event("click")
        self.journey.clicks += 1
        self.journey.steps.append(f"tap: {why}")

    def press(self, key, why):
        self.page.keyboard.press(key)
        self.journey.keys += 1
        self.journey.steps.append(f"key {key}: {why}")

    def type(self, text):
        self.page.keyboard.type(text)
        self.journey.chars += len(text)

    def focus(self, locator, why):
        """Put the cursor in a field: nothing when it is there already, Tab on a laptop
        when it is next in tab order, else a tap."""
        target = locator.element_handle()
        if self.page.evaluate("(el) => el === document.activeElement", target):
            return
        if not self.journey.viewport.touch:
            if self.page.evaluate(_NEXT_IN_TAB_ORDER, [target]):
                self.press("Tab", why)
                return
            if self.in_text_field():
                self.journey.remark(f"'{why}' is not next in tab order after the field before it")
        self.tap(locator, why)

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


def run_journey(browser, base_url, viewport, *, username, password, indicators, folder):
    """Log in as `username`, answer `indicators` indicators (level, FAKTA, ANALISIS, two
    files) and hand them all in, at `viewport`. Returns the Journey with its counts."""
    journey = Journey(viewport)
    context = viewport.context(browser)
    page = context.new_page()
    page.set_default_timeout(20_000)
    person = Person(page, journey)
    started = time.perf_counter()
    try:
        _log_in(page, person, base_url, username, password)
        _open_first_indicator(page, person)
        for _ in range(indicators):
            before, first_step = journey.interactions, len(journey.steps)
            _answer_indicator(page, person, folder)
            journey.indicators += 1
            journey.per_indicator.append(journey.interactions - before)
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
    person.focus(page.get_by_label("Username"), "Username")
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
    if _exists(go_on, timeout=2_000):
        with page.expect_navigation():
            person.tap(go_on.first, "Lanjutkan: Indikator N")
        return
    person.journey.remark("home: link 'Lanjutkan: Indikator N'")
    with page.expect_navigation():
        person.tap(page.get_by_role("link", name=re.compile(r"^Isi jawaban indikator")), "portal")
    with page.expect_navigation():
        person.tap(page.locator("#daftar-indikator tbody a").first, "first indicator")


def _indicator_number(page):
    match = re.search(r"Indikator (\d+)", page.get_by_role("heading", level=1).inner_text())
    return int(match.group(1))


def _answer_indicator(page, person, folder):
    number = _indicator_number(page)
    level = 2 + number % 3
    _choose_level(page, person, level)
    person.focus(page.get_by_label(re.compile(r"^FAKTA\b")), "FAKTA")
    person.type(FAKTA.format(n=number))
    person.focus(page.get_by_label(re.compile(r"^ANALISIS\b")), "ANALISIS")
    person.type(ANALISIS.format(level=level))
    _upload_files(page, person, make_files(folder, number))
    _save_and_go_on(page, person, number)


def _choose_level(page, person, level):
    radio = page.get_by_role("radio", name=re.compile(rf"^{level}\b"))
    if not person.journey.viewport.touch and not person.in_text_field():
        person.press(str(level), "level")
        if radio.is_checked():
            return
        person.journey.remark("keys 1–5 choose the level")
    person.tap(radio, "level")


def _upload_files(page, person, paths):
    # With JavaScript a "Pilih berkas" button (a drop zone) opens the dialog of the hidden
    # <input type=file multiple>, whose label is also "Pilih berkas".
    button = page.get_by_role("button", name=re.compile(r"^Pilih berkas"))
    picker = button if _exists(button, timeout=1_000) else page.get_by_label("Pilih berkas")
    if picker.count():
        person.choose_files(picker.first, paths, "Pilih berkas")
        # Each file's own progress row ends in "Selesai".
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('body *')].filter("
            "(el) => el.childElementCount === 0 && el.textContent.trim() === 'Selesai'"
            ").length >= n",
            arg=len(paths),
        )
        return
    # Before the contract: one file per form, after the answer was saved once.
    person.journey.remark("data dukung: one <input type=file multiple> 'Pilih berkas'")
    rows = page.locator("#data-dukung .evidence-list tbody tr")
    for count, path in enumerate(paths, start=1):
        berkas = page.locator("#data-dukung").get_by_label("Berkas", exact=True)
        if not _exists(berkas, timeout=3_000):
            with page.expect_navigation():
                person.tap(page.get_by_role("button", name="Simpan draf"), "Simpan draf")
        person.choose_files(berkas, [path], "Berkas")
        person.tap(page.get_by_role("button", name="Unggah", exact=True), "Unggah")
        page.wait_for_function(
            "(n) => document.querySelectorAll('#data-dukung .evidence-list tbody tr').length >= n",
            arg=count,
        )
    assert rows.count() >= len(paths)


def _save_and_go_on(page, person, number):
    save = page.get_by_role("button", name="Simpan & lanjut")
    if _exists(save, timeout=1_000):
        if not person.journey.viewport.touch:
            person.press("Control+Enter", "Simpan & lanjut")
            if _left(page, number):
                return
            person.journey.remark("Ctrl+Enter for 'Simpan & lanjut'")
        person.tap(save, "Simpan & lanjut")
        assert _left(page, number, timeout=20_000), "Simpan & lanjut did not leave the page"
        return
    person.journey.remark("button 'Simpan & lanjut'")
    with page.expect_navigation():
        person.tap(page.get_by_role("button", name="Simpan draf"), "Simpan draf")
    # The old flow: back to the portal, then the next indicator without an answer.
    with page.expect_navigation():
        person.tap(page.get_by_role("link", name=re.compile(r"^Isian indikator")), "portal")
    rows = page.locator("#daftar-indikator tbody tr")
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.locator("td").nth(3).inner_text().strip() == "—":
            with page.expect_navigation():
                person.tap(row.locator("a").first, "next indicator")
            return


def _left(page, number, timeout=3_000):
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
    """Hand in every complete answer with 'Ajukan semua yang lengkap (N)' (on the home page
    and the OPD's portal), confirming in at most two taps."""
    button = page.get_by_role("button", name=re.compile(r"^Ajukan semua yang lengkap"))
    portal = page.get_by_role("link", name=re.compile(r"^Isian indikator"))
    if not _exists(button, timeout=1_000) and _exists(portal, timeout=1_000):
        person.journey.remark(
            "after the last indicator 'Simpan & lanjut' opens an indicator again (a complete "
            "draft), not the page with 'Ajukan semua'"
        )
        with page.expect_navigation():
            person.tap(portal.first, "Isian indikator (portal)")
    if not _exists(button, timeout=1_000):
        person.journey.remark("portal: button 'Ajukan semua yang lengkap (N)'")
        menu = page.get_by_role("button", name=re.compile(r"^Menu"))
        if _exists(menu):
            person.tap(menu, "Menu")
        with page.expect_navigation():
            person.tap(page.get_by_role("link", name="Beranda").first, "Beranda")
    if not _exists(button, timeout=2_000):
        person.journey.remark("home: button 'Ajukan semua yang lengkap (N)'")
        with page.expect_navigation():
            person.tap(
                page.get_by_role("link", name=re.compile(r"^Isi jawaban indikator")), "portal"
            )
        button = page.get_by_role("button", name="Ajukan semua")
    page.once("dialog", lambda dialog: _confirm(person, dialog))
    loads = person.journey.loads
    person.tap(button.first, "Ajukan semua")
    confirm = page.get_by_role("dialog").get_by_role("button", name=re.compile("Ajukan|Ya"))
    if person.journey.loads == loads and _exists(confirm, timeout=1_500):
        with page.expect_navigation():
            person.tap(confirm.first, "confirm")
    page.wait_for_load_state()


def _confirm(person, dialog):
    person.journey.clicks += 1
    person.journey.steps.append("tap: confirm (browser dialog)")
    dialog.accept()

"""Real Chromium: the OPD operator's pages fit a 390 px phone, a 1024 and a 1366 px laptop
and a 1920 px projector without scrolling sideways (wide tables scroll inside their own box),
and the header's menu button works by keyboard with tap targets of 44 px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cycles import services as cycle_services
from evidence import services as evidence_services
from evidence.tests.helpers import pdf_bytes, upload
from letters import services as letter_services
from letters.tests.conftest import advance
from monev.testing import PASSWORD, login, screenshot
from submissions import services as submission_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGULATION_URL = (
    "https://jdih.pontianak.go.id/produk-hukum/peraturan-walikota/2024/"
    "perwa-nomor-12-tahun-2024-tentang-arsitektur-sistem-pemerintahan-berbasis-elektronik.pdf"
)

# What sticks out past the right edge of the viewport: a box whose parent fits, or a box that
# fits but whose own text runs out of it (a long URL). An element inside a box that scrolls or
# clips (overflow-x other than visible) does not widen the page.
STICKING_OUT = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const clips = (el) => getComputedStyle(el).overflowX !== "visible";
  const inClippingBox = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (clips(up)) return true;
    }
    return false;
  };
  const boxOut = (el) => el.getBoundingClientRect().right > limit;
  const contentRight = (el) => el.getBoundingClientRect().left + (clips(el) ? 0 : el.scrollWidth);
  const textOut = (el) => !boxOut(el) && contentRight(el) > limit
    && ![...el.children].some((child) => boxOut(child) || contentRight(child) > limit);
  return [...document.querySelectorAll("body *")]
    .filter((el) => !inClippingBox(el))
    .filter((el) => (boxOut(el) && !boxOut(el.parentElement)) || textOut(el))
    .map((el) => {
      const box = el.getBoundingClientRect();
      const path = [el.parentElement.parentElement, el.parentElement, el].map(name).join(" > ");
      const right = Math.round(Math.max(box.right, contentRight(el)));
      return `${path} (right edge ${right} px, box ${Math.round(box.width)} px wide)`;
    });
}"""


def overflow_report(page):
    """None if the page is no wider than the viewport, else what makes it wider."""
    root = "document.documentElement"
    if page.evaluate(f"{root}.scrollWidth <= {root}.clientWidth"):
        return None
    width = page.evaluate(f"{root}.scrollWidth")
    offenders = page.evaluate(STICKING_OUT) or ["(no element found past the edge)"]
    return f"{width} px wide: " + "; ".join(offenders[:5])


@pytest.fixture
def opd_pages(
    framework,
    sop,
    coordinator,
    supervisor,
    secretariat,
    evaluator,
    leader,
    admin_user,
    agency,
    other_agency,
    agency_user,
    other_agency_user,
    settings,
    tmp_path,
):
    """The BKPSDM operator in the middle of step 4 of 2026, with last year's evidence to reuse:
    the letters dispatched to the OPD, indicators 1, 2 and 3 assigned to it (3 not started, 2
    a draft with data dukung, 1 returned with a note). Returns {page name: address}."""
    settings.MEDIA_ROOT = tmp_path / "media"
    last_year = cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        contact_person=coordinator,
    )
    evidence_services.add_file_evidence(
        last_year,
        agency,
        by=agency_user,
        uploaded_file=upload("SK-Tim-Koordinasi-SPBE-BKPSDM-2025.pdf", pdf_bytes(2)),
        title="Keputusan Kepala BKPSDM tentang Tim Koordinasi SPBE dan Pengelola Data Kepegawaian",
    )
    evidence_services.add_link_evidence(
        last_year, agency, by=agency_user, url=REGULATION_URL, title="Perwa 12/2024 di JDIH"
    )
    type(last_year).objects.filter(pk=last_year.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=300)
    )

    nodes = {node.code: node for node in framework.nodes.filter(code__in=["I1", "I2", "I3"])}
    first, second, third = nodes["I1"], nodes["I2"], nodes["I3"]
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        contact_phone="0812-5600-1234",
        assignments={first: [agency, other_agency], second: [agency], third: [agency]},
    )
    invitation, data_request = letter_services.draft_cycle_letters(cycle, by=coordinator)
    for letter in (invitation, data_request):
        advance(
            letter,
            "dispatched",
            coordinator=coordinator,
            supervisor=supervisor,
            secretariat=secretariat,
        )

    returned = submission_services.save_draft(
        cycle,
        first,
        agency,
        by=agency_user,
        level=3,
        fakta=f"Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3 dan 4, di {REGULATION_URL}",
        analisis="Pasal 3 dan 4 memuat referensi dan keenam domain Arsitektur SPBE.",
        version=0,
    )
    submission_services.submit_submission(returned, by=agency_user)
    submission_services.return_submission(
        returned,
        by=coordinator,
        note="Lampirkan juga berita acara reviu Perwa dan daftar hadir rapat tim koordinasi "
        f"SPBE; tautan {REGULATION_URL} tidak dapat dibuka dari jaringan kantor.",
    )
    draft = submission_services.save_draft(
        cycle,
        second,
        agency,
        by=agency_user,
        level=2,
        fakta="Peta Rencana SPBE ditetapkan dengan Perwa 20/2024 (berkas 2.a).",
        analisis="Peta rencana belum memuat seluruh domain: tingkat 2.",
        version=0,
    )
    evidence_services.add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=upload("Perwa-20-2024-Peta-Rencana-SPBE-Kota-Pontianak.pdf", pdf_bytes()),
        title="Peraturan Wali Kota Pontianak Nomor 20 Tahun 2024 tentang Peta Rencana SPBE",
        submission=draft,
    )
    evidence_services.add_link_evidence(
        cycle, agency, by=agency_user, url=REGULATION_URL, title="JDIH", submission=draft
    )

    def answer(node):
        return reverse(
            "submission_edit",
            kwargs={"cycle_pk": cycle.pk, "agency_pk": agency.pk, "node_pk": node.pk},
        )

    return {
        "home": reverse("home"),
        "inbox": reverse("inbox"),
        "portal": reverse("portal", kwargs={"cycle_pk": cycle.pk, "agency_pk": agency.pk}),
        "indicator-new": answer(third),
        "indicator-draft": answer(second),
        "indicator-returned": answer(first),
        "evidence": reverse("evidence_submission", kwargs={"pk": draft.pk}),
        "reuse": reverse("evidence_reuse", kwargs={"cycle_pk": cycle.pk, "agency_pk": agency.pk}),
        "letter": reverse("letter_detail", kwargs={"pk": data_request.pk}),
        "account": reverse("account"),
        # Staff only: an operator gets the 404 page, which must fit as well.
        "history-404": reverse("cycle_history", kwargs={"pk": cycle.pk}),
    }


@pytest.mark.parametrize(
    "width,height", [(390, 844), (1024, 768), (1366, 768), (1920, 1080)], ids=str
)
def test_opd_pages_fit_the_screen(page, opd_pages, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, "opd-bkpsdm")
    failures = []
    for name, path in opd_pages.items():
        response = page.goto(f"{page.base_url}{path}")
        expected = 404 if name.endswith("-404") else 200
        if response.status != expected:
            failures.append(f"{name}: HTTP {response.status}, expected {expected}")
        report = overflow_report(page)
        if report:
            failures.append(f"{name} at {width} px: {report}")
        screenshot(page, f"responsive-{name}-{width}")
    assert not failures, "\n".join(failures)


def header_targets(page):
    """[(name, height)] of every visible link, button and select in the header."""
    return page.locator("header.topbar").evaluate(
        """(header) => [...header.querySelectorAll("a, button, select")]
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.textContent.trim().replace(/\\s+/g, " ") || el.tagName,
                          Math.round(el.getBoundingClientRect().height)])"""
    )


def test_the_phone_menu_by_keyboard(page, browser, live_server, opd_pages):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "opd-bkpsdm")
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Menu utama")
    # One line: the brand and the button, with the unread count on it.
    assert page.locator("header.topbar").bounding_box()["height"] < 70
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu.locator(".nav-count")).to_be_visible()
    assert [name for name, height in header_targets(page) if height < 44] == []

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    assert menu.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Kotak masuk")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page.get_by_label("Bahasa")).to_be_visible()
    assert [name for name, height in header_targets(page) if height < 44] == []
    screenshot(page, "responsive-menu-open-390")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Beranda")).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    page.keyboard.press(" ")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press(" ")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    # Without JavaScript there is no button: the menu is there below the brand.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False
    )
    plain = context.new_page()
    plain.base_url = live_server.url
    login(plain, "opd-bkpsdm", PASSWORD)
    expect(plain.get_by_role("button", name="Menu")).to_be_hidden()
    expect(plain.get_by_role("navigation", name="Menu utama")).to_be_visible()
    expect(plain.get_by_role("button", name="Keluar")).to_be_visible()
    assert overflow_report(plain) is None
    screenshot(plain, "responsive-menu-nojs-390")
    context.close()

"""Real Chromium: the coordinator drafts the Surat Edaran Sekretaris Daerah from the cycle
page; its signed PDF's first page (the Setda's kop, the title with the Setda's number) is
shown in Chromium's PDF viewer for a screenshot to look at."""

import datetime

import pytest
from playwright.sync_api import expect

from cycles.models import TeamDecree
from letters.models import IssuingUnit, Letter
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_circular_drafted_from_the_cycle_page_and_its_first_page(
    page, cycle, drafted, institution, leader, to_status, tmp_path
):
    IssuingUnit.objects.create(
        institution=institution,
        name="Sekretariat Daerah",
        code="Setda-Org",
        letter_number_format="800/{seq}/Setda-Org/{year}",
        letterhead="PEMERINTAH KOTA PONTIANAK\nSEKRETARIAT DAERAH",
        address="Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        is_secretariat=True,
    )
    leader.full_name, leader.nip = "Ir. Mulyadi, M.T.", "19690312 199403 1 004"
    leader.position = "Sekretaris Daerah Kota Pontianak"
    leader.save()
    TeamDecree.objects.create(
        cycle=cycle,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2026",
        date=datetime.date(2026, 1, 2),
        title="Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan "
        "Berbasis Elektronik Kota Pontianak",
        status=TeamDecree.Status.CONFIRMED,
    )

    login(page, "koordinator")
    page.goto(f"{page.base_url}/periode/{cycle.pk}/")
    expect(page.locator("#surat-edaran")).to_contain_text(
        "Surat Edaran Sekretaris Daerah (kebutuhan langkah 4 SOP): belum ada"
    )
    page.get_by_role("button", name="Buat draf Surat Edaran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surat Edaran Sekretaris Daerah")
    expect(page.locator("#register-surat-edaran")).to_contain_text(
        "dinomori dari urutan nomor Sekretariat Daerah (format 800/{seq}/Setda-Org/{year})"
    )
    screenshot(page, "letters-surat-edaran-draf")

    circular = Letter.objects.get(cycle=cycle, kind="surat_edaran")
    to_status(circular, "signed")
    response = page.request.get(f"{page.base_url}/surat/{circular.pk}/pdf/")
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "surat-edaran.pdf"
    pdf.write_bytes(response.body())

    viewer = page.context.new_page()
    viewer.set_viewport_size({"width": 900, "height": 1250})
    viewer.goto(f"file://{pdf}#toolbar=0&navpanes=0&view=FitH")
    viewer.wait_for_timeout(1500)  # the PDF viewer draws the page after the load event
    screenshot(viewer, "letters-surat-edaran-halaman-1", full_page=False)

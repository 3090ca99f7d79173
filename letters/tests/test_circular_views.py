"""The Surat Edaran's pages: drafted from the cycle page, the step-4 warning (cycle page and
the dispatch confirmation of the last step-1 letter), and the administrator's page of
issuing units (list, add, edit; 404 for everyone else and for other institutions' units)."""

import html
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from letters import services
from letters.models import IssuingUnit
from sops.needs import letter_step, step_needs

WARNING = (
    "Pengumpulan isian OPD (langkah 4) sedang berjalan tanpa Surat Edaran Sekretaris Daerah "
    "yang terkirim, padahal SOP mensyaratkannya pada langkah 4."
)
CONFIRM_WARNING = (
    "Perhatian: pengumpulan isian OPD (langkah 4) dimulai, tetapi Surat Edaran Sekretaris "
    "Daerah yang disyaratkan SOP untuk langkah 4 belum dikirim."
)


def text(response):
    """The page's words, tags taken out."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def unit_values(**changes):
    return {
        "name": "Sekretariat Daerah",
        "code": "Setda-Org",
        "letter_number_format": "800/{seq}/Setda-Org/{year}",
        "letterhead": "PEMERINTAH KOTA PONTIANAK\r\nSEKRETARIAT DAERAH",
        "address": "Jalan Rahadi Usman Nomor 3, Pontianak 78111",
        "is_secretariat": "on",
        **changes,
    }


# --- The cycle page and the step-4 warning ------------------------------------------------


def test_the_cycle_page_shows_the_circular_missing_and_drafts_it(
    client, cycle, drafted, coordinator
):
    client.force_login(coordinator)
    page = text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    assert "Surat Edaran Sekretaris Daerah (kebutuhan langkah 4 SOP): belum ada" in page
    assert WARNING not in page

    response = client.post(reverse("cycle_circular_draft", args=[cycle.pk]))

    circular = cycle.letters.get(kind="surat_edaran")
    assert response.url == reverse("letter_detail", args=[circular.pk])
    page = text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    assert "Surat Edaran Sekretaris Daerah (kebutuhan langkah 4 SOP): belum dikirim draf" in page
    again = client.post(reverse("cycle_circular_draft", args=[cycle.pk]), follow=True)
    assert "Surat Edaran Sekretaris Daerah periode ini sudah dibuat." in text(again)


def test_only_the_coordinator_drafts_it(client, cycle, drafted, secretariat, outsider):
    client.force_login(secretariat)
    assert client.post(reverse("cycle_circular_draft", args=[cycle.pk])).status_code == 403
    client.force_login(outsider)
    assert client.post(reverse("cycle_circular_draft", args=[cycle.pk])).status_code == 404
    assert not cycle.letters.filter(kind="surat_edaran").exists()


def test_dispatching_the_last_step_one_letter_warns_without_the_circular(
    client, cycle, drafted, to_status, secretariat, coordinator
):
    invitation, data_request = drafted
    to_status(invitation, "dispatched")
    to_status(data_request, "signed")
    client.force_login(secretariat)
    url = reverse("letter_dispatch", args=[data_request.pk])

    confirm = text(client.post(url))
    assert CONFIRM_WARNING in confirm
    assert f"Surat {data_request.number} dikirim ke 2 OPD." in confirm

    done = text(client.post(url, {"confirmed": "yes"}, follow=True))
    assert CONFIRM_WARNING in done
    # Warned, not blocked: the collection (step 4) runs.
    assert cycle.step_runs.get(number=4).status == "running"
    client.force_login(coordinator)
    page = text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    assert WARNING in page
    needs = step_needs(cycle, 4)
    assert [(str(line.name), line.required, line.done) for line in needs.lines][2] == (
        "Surat Edaran Sekretaris Daerah, dikirim ke OPD",
        True,
        False,
    )


def test_no_warning_when_the_circular_went_first(
    client, cycle, drafted, to_status, secretariat, coordinator
):
    circular = services.draft_circular(cycle, by=coordinator)
    assert letter_step(circular) == 4
    to_status(circular, "dispatched")
    invitation, data_request = drafted
    to_status(invitation, "dispatched")
    to_status(data_request, "signed")
    client.force_login(secretariat)
    url = reverse("letter_dispatch", args=[data_request.pk])
    assert CONFIRM_WARNING not in text(client.post(url))
    assert CONFIRM_WARNING not in text(client.post(url, {"confirmed": "yes"}, follow=True))
    client.force_login(coordinator)
    page = text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    assert WARNING not in page
    assert (
        f"Surat Edaran Sekretaris Daerah (kebutuhan langkah 4 SOP): dikirim {circular.number}"
        in page
    )
    assert [line.done for line in step_needs(cycle, 4).lines][2] is True


def test_the_warning_goes_once_the_circular_is_dispatched(
    client, cycle, drafted, to_status, coordinator
):
    for letter in drafted:
        to_status(letter, "dispatched")
    client.force_login(coordinator)
    assert WARNING in text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    to_status(services.draft_circular(cycle, by=coordinator), "dispatched")
    assert WARNING not in text(client.get(reverse("cycle_detail", args=[cycle.pk])))


def test_the_numbering_confirmation_names_the_setdas_register(
    client, cycle, drafted, to_status, secretariat, coordinator, institution
):
    IssuingUnit.objects.create(
        institution=institution,
        name="Sekretariat Daerah",
        code="Setda-Org",
        letter_number_format="800/{seq}/Setda-Org/{year}",
        is_secretariat=True,
    )
    circular = services.draft_circular(cycle, by=coordinator)
    to_status(circular, "approved")
    client.force_login(secretariat)
    page = text(client.get(reverse("letter_detail", args=[circular.pk])))
    assert (
        "Surat Edaran ini dinomori dari urutan nomor Sekretariat Daerah (format "
        "800/{seq}/Setda-Org/{year}), tidak dari urutan nomor surat Diskominfo."
    ) in page
    confirm = text(client.post(reverse("letter_number", args=[circular.pk])))
    year = institution.today().year
    assert (
        f"Nomor 800/1/Setda-Org/{year} diambil dari urutan nomor surat Sekretariat Daerah "
        f"tahun {year} dan tidak dapat dipakai ulang."
    ) in confirm


# --- The administrator's issuing units ----------------------------------------------------


def test_the_admin_adds_and_edits_an_issuing_unit(client, admin_user, institution):
    client.force_login(admin_user)
    page = text(client.get(reverse("issuing_unit_list")))
    assert "Belum ada unit penerbit." in page

    response = client.post(reverse("issuing_unit_add"), unit_values())

    assert response.url == reverse("issuing_unit_list")
    unit = IssuingUnit.objects.get(institution=institution)
    assert (unit.name, unit.code, unit.letter_number_format, unit.is_secretariat) == (
        "Sekretariat Daerah",
        "Setda-Org",
        "800/{seq}/Setda-Org/{year}",
        True,
    )
    assert unit.letterhead_lines == ["PEMERINTAH KOTA PONTIANAK", "SEKRETARIAT DAERAH"]
    created = AuditEvent.objects.get(action="letter.issuing_unit_created")
    assert created.after["letter_number_format"] == "800/{seq}/Setda-Org/{year}"
    page = text(client.get(reverse("issuing_unit_list")))
    assert (
        "Sekretariat Daerah Sekretariat Daerah Setda-Org 800/{seq}/Setda-Org/{year} "
        "PEMERINTAH KOTA PONTIANAK / SEKRETARIAT DAERAH 0"
    ) in page

    client.post(
        reverse("issuing_unit_edit", args=[unit.pk]),
        unit_values(letter_number_format="800/{seq}/Org/{year}"),
    )
    unit.refresh_from_db()
    assert unit.letter_number_format == "800/{seq}/Org/{year}"
    updated = AuditEvent.objects.get(action="letter.issuing_unit_updated")
    assert (updated.before, updated.after) == (
        {"letter_number_format": "800/{seq}/Setda-Org/{year}"},
        {"letter_number_format": "800/{seq}/Org/{year}"},
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"letter_number_format": "800/Setda-Org/{year}"},
            "Format nomor surat harus memuat {seq} (nomor urut), mis. 800/{seq}/Setda-Org/{year}.",
        ),
        (
            {"letter_number_format": "800/{seq}/{tahun}"},
            "Format nomor surat Sekretariat Daerah tidak valid: 800/{seq}/{tahun}",
        ),
        (
            {"code": "setda-org", "name": "Bagian Organisasi", "is_secretariat": ""},
            "Kode setda-org sudah dipakai unit lain.",
        ),
        (
            {"code": "Bag-Hukum", "name": "Bagian Hukum"},
            "Sekretariat Daerah sudah ditandai sebagai Sekretariat Daerah. Hapus tanda itu di "
            "sana lebih dahulu.",
        ),
    ],
    ids=["no-seq", "unknown-key", "code-taken", "second-secretariat"],
)
def test_bad_units_get_a_clear_message(client, admin_user, institution, changes, message):
    client.force_login(admin_user)
    if changes.get("code") != "Setda-Org" and "letter_number_format" not in changes:
        client.post(reverse("issuing_unit_add"), unit_values())
    before = IssuingUnit.objects.count()
    response = client.post(reverse("issuing_unit_add"), unit_values(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert IssuingUnit.objects.count() == before


def test_only_the_admin_of_the_institution_reaches_the_units(
    client, coordinator, admin_user, institution, other_institution
):
    foreign = IssuingUnit.objects.create(
        institution=other_institution,
        name="Setda Pangkalpinang",
        code="Setda",
        letter_number_format="800/{seq}/Setda/{year}",
    )
    client.force_login(coordinator)
    assert client.get(reverse("issuing_unit_list")).status_code == 404
    assert client.post(reverse("issuing_unit_add"), unit_values()).status_code == 404
    assert not IssuingUnit.objects.filter(institution=institution).exists()
    client.force_login(admin_user)
    assert client.get(reverse("issuing_unit_edit", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("issuing_unit_edit", args=[foreign.pk]), unit_values())
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.code == "Setda"
    assert "Setda Pangkalpinang" not in text(client.get(reverse("issuing_unit_list")))

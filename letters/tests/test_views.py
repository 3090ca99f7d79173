"""The letter pages: who sees what, the forms, and the POST endpoints of the flow."""

import hashlib
import html

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cycles.models import StepRun
from letters import services
from letters.models import Letter
from letters.tests.helpers import signed_upload

POST_URLS = [
    "letter_edit",
    "letter_submit",
    "letter_dispose",
    "letter_number",
    "letter_sign",
    "letter_dispatch",
]
GET_URLS = ["letter_detail", "letter_pdf", "letter_docx", "letter_signed_file"]


CONFIRMED = {"confirmed": "yes"}


def page(response):
    return html.unescape(response.content.decode())


def test_coordinator_sees_the_editable_draft_and_what_comes_next(client, coordinator, letter):
    client.force_login(coordinator)
    response = client.get(reverse("letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    text = page(response)
    assert '<span class="badge " id="status-surat">draf</span>' in text
    assert "Langkah berikutnya — Kasi. PK&AI" in text
    assert "Koordinator melengkapi teks surat, lalu mengajukannya kepada Kabid" in text
    assert f'action="/surat/{letter.pk}/ubah/"' in text
    assert "Ajukan untuk disposisi" in text
    assert "Surat belum pernah diajukan untuk disposisi." in text
    assert response.context["actions"] == {"edit", "submit"}


def test_coordinator_edits_the_text(client, coordinator, letter):
    client.force_login(coordinator)
    data = {
        "subject": "Permohonan Data Evaluasi SPBE 2026",
        "nature": "Penting",
        "attachment": "1 (satu) berkas",
        "body": "Paragraf satu.\r\n\r\nParagraf dua.",
        "carbon_copies": "Wali Kota Pontianak (sebagai laporan)\r\n\r\nInspektorat",
        "signer_name": "Ir. Rizal",
        "signer_title": "Kepala Dinas Komunikasi dan Informatika",
        "signer_nip": "19700101 199503 1 001",
    }
    response = client.post(reverse("letter_edit", args=[letter.pk]), data)
    assert (response.status_code, response.url) == (302, f"/surat/{letter.pk}/")
    letter.refresh_from_db()
    assert (letter.subject, letter.nature, letter.body) == (
        "Permohonan Data Evaluasi SPBE 2026",
        "Penting",
        "Paragraf satu.\n\nParagraf dua.",  # line breaks stored as LF
    )
    assert letter.carbon_copy_lines == ["Wali Kota Pontianak (sebagai laporan)", "Inspektorat"]


def test_edit_after_numbering_shows_the_refusal(client, coordinator, letter, to_status):
    to_status(letter, "numbered")
    client.force_login(coordinator)
    data = {
        "subject": "Lain",
        "nature": "Biasa",
        "body": "Isi",
        "signer_name": "A",
        "signer_title": "B",
    }
    response = client.post(reverse("letter_edit", args=[letter.pk]), data)
    assert response.status_code == 200
    assert "Surat yang sudah bernomor tidak dapat diubah." in page(response)
    letter.refresh_from_db()
    assert letter.subject == "Permohonan Data Evaluasi SPBE Tahun 2026"


def test_the_flow_through_the_pages(
    client, cycle, drafted, coordinator, supervisor, secretariat, agency_user
):
    invitation, data_request = drafted
    client.force_login(coordinator)
    for letter in drafted:
        response = client.post(reverse("letter_submit", args=[letter.pk]))
        assert (response.status_code, response.url) == (302, f"/surat/{letter.pk}/")

    client.force_login(supervisor)
    response = client.get(reverse("letter_detail", args=[data_request.pk]))
    assert response.context["actions"] == {"dispose"}
    response = client.post(
        reverse("letter_dispose", args=[data_request.pk]), {"decision": "return", "note": ""}
    )
    assert response.status_code == 200
    assert "Tuliskan catatan untuk koordinator saat mengembalikan surat." in page(response)
    response = client.post(
        reverse("letter_dispose", args=[data_request.pk]),
        {"decision": "return", "note": "Tambahkan narahubung kedua."},
    )
    assert response.status_code == 302

    client.force_login(coordinator)
    text = page(client.get(reverse("letter_detail", args=[data_request.pk])))
    assert (
        '<strong>Catatan Kabid:</strong> <span class="prewrap">Tambahkan narahubung kedua.</span>'
        in text
    )
    assert "Ajukan kembali untuk disposisi" in text
    client.post(reverse("letter_submit", args=[data_request.pk]))

    client.force_login(supervisor)
    for letter in drafted:
        response = client.post(
            reverse("letter_dispose", args=[letter.pk]),
            {"decision": "approve", "instruction": "Segera kirim", "addressed_to": "Sekretaris"},
        )
        assert response.status_code == 302
    text = page(client.get(reverse("letter_detail", args=[data_request.pk])))
    assert "Tambahkan narahubung kedua." in text
    assert "Segera kirim" in text
    response = client.get(reverse("letter_detail", args=[data_request.pk]))
    assert [(d.round, d.verdict) for d in response.context["dispositions"]] == [
        (1, "returned"),
        (2, "approved"),
    ]

    client.force_login(secretariat)
    for letter in drafted:
        response = client.post(reverse("letter_number", args=[letter.pk]), CONFIRMED)
        assert response.status_code == 302
    response = client.post(
        reverse("letter_sign", args=[invitation.pk]),
        {"method": "upload", "signed_pdf": signed_upload("ttd.pdf"), **CONFIRMED},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("letter_sign", args=[data_request.pk]), {"method": "internal", **CONFIRMED}
    )
    assert response.status_code == 302
    for letter in drafted:
        response = client.post(reverse("letter_dispatch", args=[letter.pk]), CONFIRMED)
        assert response.status_code == 302
    assert list(Letter.objects.order_by("pk").values_list("status", flat=True)) == [
        "dispatched",
        "dispatched",
    ]
    assert list(
        StepRun.objects.filter(cycle=cycle, number__lte=4).values_list("status", flat=True)
    ) == ["done", "done", "done", "running"]

    client.force_login(agency_user)
    text = page(client.get(reverse("letter_detail", args=[data_request.pk])))
    assert "Indikator yang harus dijawab OPD Anda" in text
    assert "Batas waktu pengisian: 15 Desember 2026." in text
    assert "Riwayat disposisi" not in text
    client.force_login(secretariat)
    text = page(client.get(reverse("letter_detail", args=[data_request.pk])))
    assert "Operator BKPSDM" in text
    assert "belum dibuka" in text


def test_signed_pdf_upload_that_is_not_a_pdf_shows_the_error(
    client, secretariat, letter, to_status
):
    to_status(letter, "numbered")
    client.force_login(secretariat)
    response = client.post(
        reverse("letter_sign", args=[letter.pk]),
        {
            "method": "upload",
            "signed_pdf": signed_upload("ttd.pdf", b"GIF89a bukan pdf"),
            **CONFIRMED,
        },
    )
    assert response.status_code == 200
    assert "Berkas tanda tangan harus PDF." in page(response)
    letter.refresh_from_db()
    assert letter.status == "numbered"


def test_dispatch_without_signature_shows_the_error(client, secretariat, letter, to_status):
    to_status(letter, "numbered")
    client.force_login(secretariat)
    response = client.post(reverse("letter_dispatch", args=[letter.pk]), follow=True)
    assert "Surat belum ditandatangani." in page(response)


def test_operator_opening_a_dispatched_letter_is_recorded(
    client, agency, agency_user, letter, to_status
):
    to_status(letter, "dispatched")
    client.force_login(agency_user)
    response = client.get(reverse("letter_detail", args=[letter.pk]))
    assert response.status_code == 200
    receipt = letter.receipts.get(agency=agency)
    assert receipt.opened_by == agency_user
    assert response.context["actions"] == set()


def test_operator_cannot_see_a_letter_before_it_is_sent(client, agency_user, letter, to_status):
    to_status(letter, "signed")
    client.force_login(agency_user)
    for name in GET_URLS:
        assert client.get(reverse(name, args=[letter.pk])).status_code == 404
    for name in POST_URLS:
        assert client.post(reverse(name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", GET_URLS)
def test_outsider_gets_404_on_letter_pages(client, outsider, letter, to_status, name):
    to_status(letter, "signed")
    client.force_login(outsider)
    assert client.get(reverse(name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", POST_URLS)
def test_outsider_gets_404_on_letter_actions(client, outsider, letter, name):
    client.force_login(outsider)
    assert client.post(reverse(name, args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert letter.status == "draft"


@pytest.mark.parametrize(
    ("name", "status", "persona"),
    [
        ("letter_edit", "draft", "supervisor"),
        ("letter_submit", "draft", "secretariat"),
        ("letter_submit", "draft", "evaluator"),
        ("letter_dispose", "submitted", "coordinator"),
        ("letter_dispose", "submitted", "leader"),
        ("letter_number", "approved", "supervisor"),
        ("letter_number", "approved", "admin_user"),
        ("letter_sign", "numbered", "coordinator"),
        ("letter_dispatch", "signed", "supervisor"),
        ("letter_dispatch", "dispatched", "agency_user"),
    ],
)
def test_staff_get_403_on_actions_not_theirs(
    request, client, letter, to_status, name, status, persona
):
    to_status(letter, status)
    client.force_login(request.getfixturevalue(persona))
    data = {
        "decision": "approve",
        "method": "internal",
        "subject": "x",
        "nature": "x",
        "body": "x",
        "signer_name": "x",
        "signer_title": "x",
    }
    assert client.post(reverse(name, args=[letter.pk]), data).status_code == 403
    letter.refresh_from_db()
    assert letter.status == status


@pytest.mark.parametrize("name", POST_URLS)
def test_actions_need_post(client, coordinator, letter, name):
    client.force_login(coordinator)
    response = client.get(reverse(name, args=[letter.pk]))
    assert response.status_code == (302 if name == "letter_edit" else 405)


def test_letter_pages_require_login(client, letter):
    url = reverse("letter_detail", args=[letter.pk])
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"/masuk/?next={url}")


def test_cycle_letters_draft(client, cycle, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("cycle_letters_draft", args=[cycle.pk]))
    invitation = Letter.objects.get(cycle=cycle, kind="undangan")
    assert (response.status_code, response.url) == (302, f"/surat/{invitation.pk}/")
    response = client.post(reverse("cycle_letters_draft", args=[cycle.pk]), follow=True)
    assert "Surat undangan dan permohonan data periode ini sudah dibuat." in page(response)
    assert Letter.objects.filter(cycle=cycle).count() == 2


@pytest.mark.parametrize(("persona", "status"), [("supervisor", 403), ("outsider", 404)])
def test_cycle_letters_draft_is_the_coordinators(request, client, cycle, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("cycle_letters_draft", args=[cycle.pk])).status_code == status
    assert Letter.objects.filter(cycle=cycle).count() == 0


def test_cycle_letters_partial(client, cycle, drafted, coordinator, to_status):
    to_status(drafted[0], "numbered")
    text = html.unescape(
        render_to_string(
            "letters/_cycle_letters.html", {"cycle": cycle, "letters": cycle.letters.all()}
        )
    )
    number = drafted[0].number
    assert "Surat Undangan" in text
    assert number in text
    assert "bernomor" in text
    assert "<strong>Sekretariat Dinas</strong>: Sekretariat mencatat tanda tangan" in text
    assert "<strong>Kasi. PK&AI</strong>: Koordinator melengkapi teks surat" in text


def test_signed_file_download(client, secretariat, agency_user, letter, to_status):
    to_status(letter, "dispatched")
    for user in (secretariat, agency_user):
        client.force_login(user)
        response = client.get(reverse("letter_signed_file", args=[letter.pk]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == letter.signed_file_sha256
        year = letter.letter_date.year
        assert response["Content-Disposition"] == (
            f'attachment; filename="surat-permohonan-data-005-1-diskominfo-{year}-ttd.pdf"'
        )


def test_signed_file_of_an_internal_approval_is_404(client, secretariat, letter, to_status):
    to_status(letter, "numbered")
    services.record_signature(letter, by=secretariat, internal_approval=True)
    client.force_login(secretariat)
    assert client.get(reverse("letter_signed_file", args=[letter.pk])).status_code == 404

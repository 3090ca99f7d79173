"""The letters' API: who sees which letter, who may take which action (the pages' answers
as problem details), the signed PDF's check, the downloads, and the list's query guard."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters import permissions, services
from letters.models import Letter
from letters.tests.helpers import signed_upload
from letters.tests.test_permissions import PERSONAS
from monev.testing import api_client

ACTIONS = ["submit", "approve", "return", "number", "sign", "dispatch"]
DOWNLOADS = ["pdf", "docx", "signed-pdf"]
FORBIDDEN = {
    "type": "about:blank",
    "title": "Tidak diizinkan",
    "status": 403,
    "detail": "Anda tidak berwenang melakukan tindakan ini.",
}
NOT_FOUND = {
    "type": "about:blank",
    "title": "Tidak ditemukan",
    "status": 404,
    "detail": "Objek tidak ditemukan.",
}


def url(letter, action=""):
    return f"/api/v1/letters/{letter.pk}/" + (f"{action}/" if action else "")


def refused(message, field="detail"):
    return {
        "type": "about:blank",
        "title": "Permintaan tidak valid",
        "status": 400,
        "detail": message,
        "errors": {field: [message]},
    }


def listed(client, query=""):
    response = client.get(f"/api/v1/letters/{query}")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


# --- Seeing letters --------------------------------------------------------------------------


def test_staff_list_every_letter_of_the_institution(cycle, drafted, coordinator, agency):
    invitation, data_request = drafted
    response = api_client(coordinator).get("/api/v1/letters/")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    row = body["results"][0]
    del row["updated_at"]
    assert row == {
        "id": data_request.pk,
        "cycle": {"id": cycle.pk, "year": 2026, "name": cycle.name},
        "kind": "permohonan_data",
        "status": "draft",
        "number": "",
        "subject": "Permohonan Data Evaluasi SPBE Tahun 2026",
        "letter_date": None,
        "recipients": [agency.pk, cycle.agencies.exclude(pk=agency.pk).get().pk],
        "signed_at": None,
        "dispatched_at": None,
    }
    assert body["results"][1]["id"] == invitation.pk


def test_list_filters(cycle, drafted, coordinator, secretariat, to_status):
    invitation, data_request = drafted
    to_status(invitation, "approved")
    client = api_client(coordinator)
    assert listed(client, "?kind=undangan") == [invitation.pk]
    assert listed(client, "?status=draft") == [data_request.pk]
    assert listed(client, "?status=approved&kind=undangan") == [invitation.pk]
    assert listed(client, f"?cycle={cycle.pk}") == [data_request.pk, invitation.pk]
    assert listed(client, f"?cycle={cycle.pk + 1}") == []
    response = client.get("/api/v1/letters/?status=sent")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "status": [
            "Nilai tidak dikenal; pilih salah satu: draft, submitted, returned, approved, "
            "numbered, signed, dispatched."
        ]
    }
    response = client.get(f"/api/v1/letters/?cycle=x{cycle.pk}")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cycle": ["Isi dengan nomor id."]},
    )


def test_list_filters_by_addressed_opd(drafted, coordinator, agency, other_agency):
    invitation, data_request = drafted
    invitation.recipients.set([other_agency])
    client = api_client(coordinator)
    assert listed(client, f"?agency={agency.pk}") == [data_request.pk]
    assert listed(client, f"?agency={other_agency.pk}") == [data_request.pk, invitation.pk]


def test_operator_sees_a_letter_once_dispatched_to_their_opd(
    drafted, agency_user, other_agency_user, other_agency, to_status
):
    invitation, data_request = drafted
    data_request.recipients.set([other_agency])
    to_status(invitation, "signed")
    to_status(data_request, "dispatched")
    assert listed(api_client(other_agency_user)) == [data_request.pk]
    # BKPSDM's operator: the invitation is not sent yet, the data request not to BKPSDM.
    client = api_client(agency_user)
    assert listed(client) == []
    for letter in drafted:
        for path in [url(letter), *(url(letter, name) for name in DOWNLOADS)]:
            response = client.get(path)
            assert (response.status_code, response.json()) == (404, NOT_FOUND)
        for action in ACTIONS:
            response = client.post(url(letter, action), {"method": "internal"})
            assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert (invitation.status, data_request.status) == ("signed", "dispatched")
    assert Letter.objects.get(pk=invitation.pk).status == "signed"


def test_another_institutions_letter_is_404(outsider, drafted, to_status):
    letter = to_status(drafted[1], "signed")
    client = api_client(outsider)
    assert listed(client) == []
    for path in [url(letter), *(url(letter, name) for name in DOWNLOADS)]:
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    for action in ACTIONS:
        response = client.post(url(letter, action), {"method": "internal", "note": "x"})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Letter.objects.get(pk=letter.pk).status == "signed"


@pytest.mark.parametrize("status", ["draft", "signed", "dispatched"])
def test_the_list_shows_what_the_letter_page_shows(request, staff, drafted, to_status, status):
    """letters_visible_to (the list) and can_view_letter (the page) agree for every persona."""
    letter = to_status(drafted[1], status)
    for name in PERSONAS:
        user = request.getfixturevalue(name)
        visible = permissions.can_view_letter(user, letter)
        assert (letter.pk in listed(api_client(user))) == visible, name
        assert api_client(user).get(url(letter)).status_code == (200 if visible else 404), name
    operators = {"agency_user", "other_agency_user"}
    expected = set(PERSONAS) - {"outsider"} - (operators if status != "dispatched" else set())
    assert {
        name
        for name in PERSONAS
        if permissions.can_view_letter(request.getfixturevalue(name), letter)
    } == expected


def test_the_list_needs_a_login(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/letters/").status_code == 401


def _count_queries(client, query=""):
    client.get(f"/api/v1/letters/{query}")  # the token's "last used" is written once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/letters/{query}").status_code == 200
    return len(captured)


def _second_cycle(cycle, coordinator):
    from cycles import services as cycle_services

    return cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=cycle.framework,
        agencies=list(cycle.agencies.all()),
        deadline=cycle.deadline.replace(year=2025),
        contact_person=coordinator,
    )


def test_list_query_count_is_constant(cycle, drafted, coordinator, agency_user, to_status):
    for letter in drafted:
        to_status(letter, "dispatched")
    staff, operator = api_client(coordinator), api_client(agency_user)
    few = (_count_queries(staff), _count_queries(operator))
    more = services.draft_cycle_letters(_second_cycle(cycle, coordinator), by=coordinator)
    more += [services.draft_circular(cycle, by=coordinator)]
    for letter in more:
        to_status(letter, "dispatched")
    assert len(listed(staff)) == len(listed(operator)) == 5
    assert (_count_queries(staff), _count_queries(operator)) == few


# --- One letter ------------------------------------------------------------------------------


def test_detail_as_the_page_shows_it_to_staff(
    drafted, coordinator, supervisor, secretariat, to_status, agency, other_agency
):
    letter = drafted[1]
    services.submit_letter(letter, by=coordinator)
    services.dispose_letter(letter, by=supervisor, approve=False, note="Tambah narahubung.")
    services.submit_letter(letter, by=coordinator)
    to_status(letter, "dispatched")
    body = api_client(secretariat).get(url(letter)).json()
    year = letter.letter_date.year
    assert {key: body[key] for key in ("number", "status", "signature", "next_actor")} == {
        "number": f"005/1/DISKOMINFO/{year}",
        "status": "dispatched",
        "signature": "upload",
        "next_actor": "agency",
    }
    assert body["signer"] == {
        "name": "[Nama Kepala Dinas Komunikasi dan Informatika]",
        "title": "Kepala Dinas Komunikasi dan Informatika Kota Pontianak",
        "nip": "",
    }
    assert body["recipients"] == [
        {"id": agency.pk, "name": agency.name, "short_name": "BKPSDM"},
        {"id": other_agency.pk, "name": "Dinas Kesehatan", "short_name": "Dinkes"},
    ]
    assert body["letter_date"] == letter.letter_date.isoformat()
    assert body["carbon_copies"] == [
        "Wali Kota Pontianak (sebagai laporan)",
        "Sekretaris Daerah Kota Pontianak",
    ]
    assert body["actions"] == []
    assert [(d["round"], d["verdict"], d["note"]) for d in body["dispositions"]] == [
        (1, "returned", "Tambah narahubung."),
        (2, "approved", ""),
    ]
    assert [(r["agency"]["short_name"], r["opened_by"]) for r in body["receipts"]] == [
        ("BKPSDM", None),
        ("Dinkes", None),
    ]
    assert body["downloads"] == {
        "pdf": f"http://testserver/api/v1/letters/{letter.pk}/pdf/",
        "docx": f"http://testserver/api/v1/letters/{letter.pk}/docx/",
        "signed_pdf": f"http://testserver/api/v1/letters/{letter.pk}/signed-pdf/",
    }


def test_operator_reading_the_letter_marks_it_opened(
    letter, agency, agency_user, secretariat, to_status
):
    to_status(letter, "dispatched")
    body = api_client(agency_user).get(url(letter)).json()
    assert (body["status"], body["actions"], body["dispositions"], body["receipts"]) == (
        "dispatched",
        [],
        [],
        [],
    )
    receipt = letter.receipts.get(agency=agency)
    assert receipt.opened_by == agency_user
    receipts = api_client(secretariat).get(url(letter)).json()["receipts"]
    assert [(r["agency"]["short_name"], r["opened_by"]) for r in receipts] == [
        ("BKPSDM", "Operator BKPSDM"),
        ("Dinkes", None),
    ]


@pytest.mark.parametrize(
    ("persona", "actions"),
    [
        ("coordinator", ["edit", "submit"]),
        ("supervisor", []),
        ("secretariat", []),
        ("evaluator", []),
    ],
)
def test_detail_lists_the_callers_actions(request, letter, persona, actions):
    body = api_client(request.getfixturevalue(persona)).get(url(letter)).json()
    assert (body["actions"], body["downloads"]["signed_pdf"]) == (actions, None)


# --- Actions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "persona"),
    [
        ("submit", "draft", "secretariat"),
        ("submit", "draft", "evaluator"),
        ("submit", "draft", "supervisor"),
        ("approve", "submitted", "coordinator"),
        ("approve", "submitted", "leader"),
        ("return", "submitted", "secretariat"),
        ("number", "approved", "supervisor"),
        ("number", "approved", "admin_user"),
        ("sign", "numbered", "coordinator"),
        ("sign", "numbered", "supervisor"),
        ("dispatch", "signed", "supervisor"),
        ("dispatch", "signed", "coordinator"),
        ("dispatch", "dispatched", "agency_user"),
    ],
)
def test_actions_not_the_callers_are_403(request, letter, to_status, action, status, persona):
    to_status(letter, status)
    client = api_client(request.getfixturevalue(persona))
    response = client.post(url(letter, action), {"method": "internal", "note": "Perbaiki."})
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert response["Content-Type"] == "application/problem+json"
    assert Letter.objects.get(pk=letter.pk).status == status


def test_sign_refuses_the_wrong_person_before_reading_the_input(letter, coordinator, to_status):
    to_status(letter, "numbered")
    response = api_client(coordinator).post(url(letter, "sign"), {"method": "nonsense"})
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


@pytest.mark.parametrize(
    ("action", "status", "persona", "message"),
    [
        (
            "submit",
            "submitted",
            "coordinator",
            "Surat ini sudah diajukan dan tidak sedang dipegang koordinator.",
        ),
        ("approve", "draft", "supervisor", "Surat ini tidak sedang menunggu disposisi."),
        ("approve", "approved", "supervisor", "Surat ini tidak sedang menunggu disposisi."),
        ("number", "submitted", "secretariat", "Surat belum didisposisikan Kabid."),
        ("number", "numbered", "secretariat", "Surat ini sudah bernomor."),
        ("sign", "approved", "secretariat", "Surat harus bernomor sebelum ditandatangani."),
        ("sign", "signed", "secretariat", "Surat ini sudah ditandatangani."),
        ("dispatch", "numbered", "secretariat", "Surat belum ditandatangani."),
        ("dispatch", "dispatched", "secretariat", "Surat ini sudah dikirim."),
    ],
)
def test_actions_out_of_turn_get_the_services_message(
    request, letter, to_status, action, status, persona, message
):
    to_status(letter, status)
    response = api_client(request.getfixturevalue(persona)).post(
        url(letter, action), {"method": "internal"}
    )
    assert (response.status_code, response.json()) == (400, refused(message))
    assert Letter.objects.get(pk=letter.pk).status == status


def test_dispatch_out_of_turn_answers_as_the_page(client, letter, secretariat, to_status):
    to_status(letter, "numbered")
    client.force_login(secretariat)
    page = client.post(reverse("letter_dispatch", args=[letter.pk]), {"confirmed": "yes"})
    shown = [str(message) for message in page.wsgi_request._messages]
    response = api_client(secretariat).post(url(letter, "dispatch"))
    assert [response.json()["detail"]] == shown == ["Surat belum ditandatangani."]


def test_return_needs_a_note(letter, supervisor, to_status):
    to_status(letter, "submitted")
    client = api_client(supervisor)
    response = client.post(url(letter, "return"), {"note": "  "}, format="json")
    message = "Tuliskan catatan untuk koordinator saat mengembalikan surat."
    assert (response.status_code, response.json()) == (400, refused(message, "note"))
    assert Letter.objects.get(pk=letter.pk).status == "submitted"
    response = client.post(url(letter, "return"), {"note": "Tambah narahubung."}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "returned")
    assert response.json()["actions"] == []


def test_disposition_input_is_bounded(letter, supervisor, to_status):
    to_status(letter, "submitted")
    response = api_client(supervisor).post(
        url(letter, "approve"), {"addressed_to": "x" * 201, "instruction": "y" * 5001}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "addressed_to": ["Isi bidang ini tidak boleh melebihi 200 karakter."]
    }
    response = api_client(supervisor).post(url(letter, "approve"), {"instruction": "y" * 5001})
    message = "Instruksi disposisi terlalu panjang (paling banyak 5.000 karakter)."
    assert (response.status_code, response.json()) == (400, refused(message))
    assert Letter.objects.get(pk=letter.pk).status == "submitted"


@pytest.mark.parametrize("language", ["id", "en"])
def test_signed_pdf_that_is_not_a_pdf_is_refused_as_on_the_page(
    client, letter, secretariat, to_status, settings, language
):
    to_status(letter, "numbered")
    not_pdf = b"GIF89a bukan pdf"
    response = api_client(secretariat).post(
        url(letter, "sign"),
        {"method": "upload", "signed_pdf": signed_upload("ttd.pdf", not_pdf)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    message = {"id": "Berkas tanda tangan harus PDF.", "en": "The signed file must be a PDF."}
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    title = {"id": "Permintaan tidak valid", "en": "Invalid request"}[language]
    assert response.json() == {
        **refused(message[language], "signed_pdf"),
        "title": title,
    }
    assert Letter.objects.get(pk=letter.pk).status == "numbered"
    assert not (settings.MEDIA_ROOT / "letters").exists()
    if language == "id":
        client.force_login(secretariat)
        page = client.post(
            reverse("letter_sign", args=[letter.pk]),
            {"method": "upload", "signed_pdf": signed_upload("ttd.pdf", not_pdf), "confirmed": 1},
        )
        assert page.context["signature_form"].errors["signed_pdf"] == [message["id"]]


def test_upload_without_a_file_is_the_services_choice_message(letter, secretariat, to_status):
    to_status(letter, "numbered")
    response = api_client(secretariat).post(url(letter, "sign"), {"method": "upload"})
    message = (
        "Pilih salah satu: unggah PDF bertanda tangan elektronik, atau catat persetujuan "
        "internal penanda tangan."
    )
    assert (response.status_code, response.json()) == (400, refused(message, "signed_pdf"))


def test_sign_with_an_uploaded_pdf(letter, secretariat, to_status):
    to_status(letter, "numbered")
    content = signed_upload().read()
    response = api_client(secretariat).post(
        url(letter, "sign"),
        {"method": "upload", "signed_pdf": signed_upload("ttd.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["signature"], body["actions"]) == (
        "signed",
        "upload",
        ["dispatch"],
    )
    letter.refresh_from_db()
    assert letter.signed_file_sha256 == hashlib.sha256(content).hexdigest()


# --- Downloads -------------------------------------------------------------------------------


def _content(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("api", "page"),
    [("pdf", "letter_pdf"), ("docx", "letter_docx"), ("signed-pdf", "letter_signed_file")],
)
def test_downloads_serve_what_the_page_serves(
    client, letter, secretariat, agency_user, to_status, api, page
):
    to_status(letter, "dispatched")
    client.force_login(secretariat)
    from_page = client.get(reverse(page, args=[letter.pk]))
    assert from_page.status_code == 200
    served = _content(from_page)
    if api == "signed-pdf":
        assert hashlib.sha256(served).hexdigest() == letter.signed_file_sha256
    for user in (secretariat, agency_user):
        response = api_client(user).get(url(letter, api))
        assert response.status_code == 200
        assert response["Content-Disposition"] == from_page["Content-Disposition"]
        assert response["Content-Type"] == from_page["Content-Type"]
        assert _content(response) == served


def test_internal_approval_has_no_signed_pdf(letter, secretariat, to_status):
    to_status(letter, "numbered")
    services.record_signature(letter, by=secretariat, internal_approval=True)
    client = api_client(secretariat)
    assert client.get(url(letter)).json()["downloads"]["signed_pdf"] is None
    response = client.get(url(letter, "signed-pdf"))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_dispatch_warns_as_the_page_when_step_4_starts_without_the_circular(
    client, cycle, drafted, secretariat, coordinator, to_status
):
    invitation, data_request = drafted
    for letter in drafted:
        to_status(letter, "signed")
    api = api_client(secretariat)
    first = api.post(url(invitation, "dispatch")).json()
    assert (first["status"], first["warnings"]) == ("dispatched", [])
    last = api.post(url(data_request, "dispatch")).json()
    assert last["warnings"] == [
        "Perhatian: pengumpulan isian OPD (langkah 4) dimulai, tetapi Surat Edaran Sekretaris "
        "Daerah yang disyaratkan SOP untuk langkah 4 belum dikirim. Pengumpulan tetap berjalan; "
        "siapkan dan kirim Surat Edaran dari halaman periode."
    ]
    # The page says the same for the same step (another cycle, dispatched on the page).
    other = services.draft_cycle_letters(_second_cycle(cycle, coordinator), by=coordinator)
    for letter in other:
        to_status(letter, "signed")
    client.force_login(secretariat)
    client.post(reverse("letter_dispatch", args=[other[0].pk]), {"confirmed": "yes"})
    page = client.post(reverse("letter_dispatch", args=[other[1].pk]), {"confirmed": "yes"})
    shown = [str(message) for message in page.wsgi_request._messages]
    # (the first dispatch's message is still waiting to be shown)
    assert shown == ["Surat dikirim ke OPD tujuan."] * 2 + last["warnings"]

"""Numbering and dispatching ask once more: the first POST changes nothing and states the
consequence; the POST with confirmed=yes acts. Signing confirms on the page (a file cannot
be posted again)."""

import html

from django.urls import reverse

from audit.models import AuditEvent
from documents.templatetags.monev_dates import tanggal
from letters.models import NumberSequence, Receipt
from letters.tests.helpers import signed_upload
from notifications.models import Notification


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def hidden_fields(response):
    return response.context["fields"]


def test_numbering_asks_first_and_takes_no_number(client, secretariat, letter, to_status):
    to_status(letter, "approved")
    client.force_login(secretariat)
    url = reverse("letter_number", args=[letter.pk])
    today = letter.cycle.institution.today()

    response = client.post(url)

    assert response.status_code == 200
    assert response.templates[0].name == "confirm.html"
    assert (
        f"Nomor 005/1/DISKOMINFO/{today.year} diambil dari urutan nomor surat Pemerintah Kota "
        f"Pontianak tahun {today.year} dan tidak dapat dipakai ulang." in text(response)
    )
    assert f"Tanggal surat: {tanggal(today)}." in text(response)
    assert "Tidak dapat dibatalkan: nomor yang sudah diambil tetap tercatat." in text(response)
    letter.refresh_from_db()
    assert (letter.status, letter.number) == ("approved", "")
    assert NumberSequence.objects.count() == 0
    assert AuditEvent.objects.filter(action="letter.numbered").count() == 0

    response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.number) == ("numbered", f"005/1/DISKOMINFO/{today.year}")
    assert AuditEvent.objects.filter(action="letter.numbered").count() == 1


def test_dispatch_asks_first_and_sends_nothing(client, secretariat, letter, to_status):
    to_status(letter, "signed")
    client.force_login(secretariat)
    url = reverse("letter_dispatch", args=[letter.pk])
    notifications = Notification.objects.count()

    response = client.post(url)

    assert response.status_code == 200
    assert f"Surat {letter.number} dikirim ke 2 OPD." in text(response)
    assert "2 operator menerima pemberitahuan di aplikasi dan lewat surel." in text(response)
    assert "Tidak dapat dibatalkan: surat yang sudah dikirim tidak dapat ditarik kembali." in text(
        response
    )
    letter.refresh_from_db()
    assert letter.status == "signed"
    assert Receipt.objects.filter(letter=letter).count() == 0
    assert Notification.objects.count() == notifications
    assert AuditEvent.objects.filter(action="letter.dispatched").count() == 0

    response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "dispatched"
    assert Receipt.objects.filter(letter=letter).count() == 2
    assert AuditEvent.objects.filter(action="letter.dispatched").count() == 1


def test_the_confirmation_page_posts_the_same_fields_again(client, secretariat, letter, to_status):
    to_status(letter, "approved")
    client.force_login(secretariat)

    response = client.post(
        reverse("letter_number", args=[letter.pk]), {"note": "a", "tag": ["x", "y"]}
    )

    assert hidden_fields(response) == [("note", "a"), ("tag", "x"), ("tag", "y")]
    body = response.content.decode()
    assert f'action="{reverse("letter_number", args=[letter.pk])}"' in body
    assert '<input type="hidden" name="confirmed" value="yes">' in body
    assert f'href="{reverse("letter_detail", args=[letter.pk])}">Batal</a>' in body


def test_a_refused_person_gets_403_not_the_confirmation(client, supervisor, letter, to_status):
    to_status(letter, "approved")
    client.force_login(supervisor)
    assert client.post(reverse("letter_number", args=[letter.pk])).status_code == 403


def test_a_stale_request_gets_the_refusal_not_the_confirmation(
    client, secretariat, letter, to_status
):
    to_status(letter, "numbered")
    client.force_login(secretariat)
    response = client.post(reverse("letter_dispatch", args=[letter.pk]), follow=True)
    assert "Surat belum ditandatangani." in text(response)


def test_signing_without_the_checkbox_changes_nothing(client, secretariat, letter, to_status):
    to_status(letter, "numbered")
    client.force_login(secretariat)
    url = reverse("letter_sign", args=[letter.pk])

    response = client.post(url, {"method": "upload", "signed_pdf": signed_upload("ttd.pdf")})

    assert response.status_code == 200
    assert "Centang pernyataan ini untuk mencatat tanda tangan." in text(response)
    assert (
        "Saya mengerti: tanda tangan yang dicatat tidak dapat dibatalkan, dan surat bertanda "
        "tangan siap dikirim ke OPD." in text(response)
    )
    letter.refresh_from_db()
    assert (letter.status, bool(letter.signed_file)) == ("numbered", False)
    assert AuditEvent.objects.filter(action="letter.signed").count() == 0

    response = client.post(url, {"method": "internal", "confirmed": "yes"})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "signed"
    assert AuditEvent.objects.filter(action="letter.signed").count() == 1

"""The coordinator's review queue (issue 13, items 3 and 4): the review list's state and OPD
filter with the age of the waiting answers, "Berikutnya yang menunggu" and the data dukung
previews on the review page, and the confirmation before the collection closes."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cycles.models import StepRun
from cycles.services import set_assignments
from evidence.services import add_file_evidence
from evidence.tests.helpers import docx_bytes
from notifications.models import Notification
from submissions import services
from submissions.models import Submission
from submissions.tests.conftest import pdf_upload
from submissions.tests.test_views import count_queries, many_agencies


def text_of(response):
    """The page's text without its tags, spaces squeezed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def list_url(cycle, query=""):
    return reverse("review_list", args=[cycle.pk]) + query


def queue(response):
    """The indicator numbers of the list's rows, in order, with their age cell."""
    body = html.unescape(response.content.decode())
    rows = re.findall(
        r'<tr id="indikator-(\d+)".*?<td class="row-age[^"]*"[^>]*>(.*?)</td>', body, flags=re.S
    )
    return [(int(number), " ".join(age.split())) for number, age in rows]


def submit(indicator, *, by, answer, days_ago=0):
    submission = answer(indicator, by=by)
    services.submit_submission(submission, by=by)
    at = timezone.now() - datetime.timedelta(days=days_ago)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    return submission


@pytest.fixture
def waiting(cycle, indicators, agency_user, other_agency_user, answer):
    """BKPSDM handed in indicator 2 five days ago; Dinkes indicator 3 two days ago and
    indicator 2 today; BKPSDM's indicator 1 is a draft."""
    first, second, third = indicators
    submit(second, by=agency_user, answer=answer, days_ago=5)
    submit(third, by=other_agency_user, answer=answer, days_ago=2)
    submit(second, by=other_agency_user, answer=answer)
    answer(first, by=agency_user)
    return cycle


# --- The queue ---------------------------------------------------------------------------


def test_the_queue_shows_the_waiting_answers_oldest_first_with_their_age(
    client, waiting, coordinator
):
    client.force_login(coordinator)
    response = client.get(list_url(waiting))
    assert queue(response) == [(2, "5 hari"), (3, "2 hari")]
    text = text_of(response)
    assert "Menunggu verifikasi (2)" in text
    assert "Dikembalikan (0)" in text
    assert "Draf (1)" in text
    assert "Belum diisi (0)" in text
    assert "Diterima (0)" in text
    assert "Semua (3)" in text
    assert "Menunggu verifikasi: 2 indikator. Yang paling lama menunggu di atas." in text


def test_the_queue_filters_by_state_and_opd(client, waiting, coordinator, agency, other_agency):
    client.force_login(coordinator)
    assert queue(client.get(list_url(waiting, "?status=all"))) == [
        (1, ""),
        (2, "5 hari"),
        (3, "2 hari"),
    ]
    assert queue(client.get(list_url(waiting, "?status=draft"))) == [(1, "")]
    assert queue(client.get(list_url(waiting, "?status=not_started"))) == []
    # Dinkes alone: its answer to indicator 2 was handed in today.
    response = client.get(list_url(waiting, f"?opd={other_agency.pk}"))
    assert queue(response) == [(3, "2 hari"), (2, "hari ini")]
    text = text_of(response)
    assert "Menunggu verifikasi (2)" in text
    assert "Draf (0)" in text
    assert "Semua (2)" in text
    assert f'<option value="{other_agency.pk}" selected>' in response.content.decode()
    assert queue(client.get(list_url(waiting, f"?status=draft&opd={agency.pk}"))) == [(1, "")]


def test_an_unknown_filter_falls_back_to_the_waiting_answers_of_all_opds(
    client, waiting, coordinator
):
    client.force_login(coordinator)
    response = client.get(list_url(waiting, "?status=nope&opd=999999"))
    assert queue(response) == [(2, "5 hari"), (3, "2 hari")]


def test_an_empty_queue_says_so(client, cycle, coordinator):
    client.force_login(coordinator)
    text = text_of(client.get(list_url(cycle)))
    assert "Tidak ada isian yang menunggu verifikasi. Lihat semua indikator" in text


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_query_count_does_not_grow(
    client, cycle, institution, framework, coordinator, agency_user, count
):
    """3 or 30 OPDs and indicators, a third of the answers waiting, filtered by OPD or not."""
    agencies = many_agencies(institution, count)
    cycle.agencies.add(*agencies)
    nodes = list(framework.nodes.filter(children__isnull=True).order_by("position")[:count])
    set_assignments(cycle, dict.fromkeys(nodes, agencies), by=coordinator)
    Submission.objects.bulk_create(
        Submission(
            cycle=cycle,
            indicator=node,
            agency=agencies[0],
            status="submitted" if n % 3 == 0 else "draft",
            submitted_at=timezone.now() - datetime.timedelta(days=n),
            updated_by=agency_user,
        )
        for n, node in enumerate(nodes)
    )
    client.force_login(coordinator)
    # 11 with the menu badge's waiting work (cycles.waiting: one statement for the running
    # steps with their letters and the answers waiting for review) and step 4's Surat
    # Edaran (the cycle's letters, for the SOP step's needs).
    assert count_queries(client, list_url(cycle)) == 11
    assert count_queries(client, list_url(cycle, f"?status=all&opd={agencies[0].pk}")) == 11


# --- The review page ---------------------------------------------------------------------


def review_url(cycle, indicator):
    return reverse("review_indicator", args=[cycle.pk, indicator.pk])


def test_next_waiting_goes_forward_and_wraps(client, waiting, indicators, coordinator):
    first, second, third = indicators
    client.force_login(coordinator)
    text = text_of(client.get(review_url(waiting, first)))
    assert "Berikutnya yang menunggu: indikator 2 2 indikator lain menunggu verifikasi." in text
    response = client.get(review_url(waiting, second))
    assert "Berikutnya yang menunggu: indikator 3 1 indikator lain" in text_of(response)
    assert review_url(waiting, third) in response.content.decode()
    response = client.get(review_url(waiting, third))
    assert "Berikutnya yang menunggu: indikator 2 1 indikator lain" in text_of(response)
    assert review_url(waiting, second) in response.content.decode()


def test_without_other_waiting_answers_the_page_says_so(
    client, cycle, indicators, agency_user, coordinator, answer
):
    submit(indicators[0], by=agency_user, answer=answer)
    client.force_login(coordinator)
    text = text_of(client.get(review_url(cycle, indicators[0])))
    assert "Tidak ada indikator lain yang menunggu verifikasi. Kembali ke daftar isian" in text


def test_pdfs_open_inline_and_office_files_only_download(
    client, cycle, indicators, agency, agency_user, coordinator, answer
):
    submission = answer(indicators[0], by=agency_user)
    pdf = add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=pdf_upload(),
        title="Perwa 12/2024",
        submission=submission,
    )
    docx = add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=SimpleUploadedFile("sk.docx", docx_bytes()),
        title="SK Tim SPBE",
        submission=submission,
    )
    client.force_login(coordinator)
    body = client.get(review_url(cycle, indicators[0])).content.decode()
    pdf_revision = pdf.revisions.get()
    docx_revision = docx.revisions.get()
    preview = reverse("evidence_preview", args=[pdf_revision.pk])
    assert (
        f'<a class="evidence-view" href="{preview}?isian={submission.pk}" target="_blank" '
        f'rel="noopener">Lihat<span class="visually-hidden"> Perwa 12/2024 (jendela baru)'
    ) in body
    assert reverse("evidence_download", args=[pdf_revision.pk]) in body
    assert reverse("evidence_download", args=[docx_revision.pk]) in body
    assert reverse("evidence_preview", args=[docx_revision.pk]) not in body
    assert body.count('class="evidence-view"') == 1
    response = client.get(f"{preview}?isian={submission.pk}")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"].startswith("inline")


# --- Closing the collection --------------------------------------------------------------


def close_url(cycle):
    return reverse("collection_close", args=[cycle.pk])


def snapshot(cycle):
    return (
        list(cycle.step_runs.filter(number__in=[4, 5]).order_by("number").values_list("status")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_the_first_post_only_asks_with_the_numbers(client, waiting, coordinator):
    """Not handed in: BKPSDM's indicator 1 (a draft), nothing else; 2 OPDs answer 4."""
    client.force_login(coordinator)
    before = snapshot(waiting)
    response = client.post(close_url(waiting))
    assert response.status_code == 200
    assert snapshot(waiting) == before == ([("running",), ("waiting",)], before[1], before[2])
    text = text_of(response)
    assert (
        "1 OPD belum mengajukan 1 indikator; mereka tidak dapat mengubah isian setelah ini "
        "kecuali dibuka kembali oleh koordinator. Langkah 4 selesai dan langkah 5 dimulai."
    ) in text
    assert "koordinator tetap dapat membuka kembali isian satu OPD" in text
    body = response.content.decode()
    assert '<input type="hidden" name="confirmed" value="yes">' in body
    assert f'<a class="btn" href="{list_url(waiting)}">Batal</a>' in body


def test_the_numbers_count_every_opd_not_handed_in(client, cycle, coordinator):
    client.force_login(coordinator)
    text = text_of(client.post(close_url(cycle)))
    assert "2 OPD belum mengajukan 4 indikator;" in text


def test_the_confirmed_post_closes(client, waiting, coordinator, evaluator):
    client.force_login(coordinator)
    response = client.post(close_url(waiting), {"confirmed": "yes"}, follow=True)
    assert "Pengumpulan isian ditutup; langkah 5 (rekap dan verifikasi) dimulai." in text_of(
        response
    )
    runs = waiting.step_runs.filter(number__in=[4, 5]).order_by("number")
    assert list(runs.values_list("status", flat=True)) == [
        StepRun.Status.DONE,
        StepRun.Status.RUNNING,
    ]
    assert AuditEvent.objects.filter(action="submission.collection_closed").count() == 1
    assert Notification.objects.filter(user=evaluator).count() == 1
    # Once closed, a post without confirmation asks nothing: the service says why.
    response = client.post(close_url(waiting), follow=True)
    assert "Pengumpulan isian sudah ditutup." in text_of(response)
    assert AuditEvent.objects.filter(action="submission.collection_closed").count() == 1


def test_only_the_coordinator_sees_the_confirmation(client, cycle, evaluator):
    client.force_login(evaluator)
    assert client.post(close_url(cycle)).status_code == 404

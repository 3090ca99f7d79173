"""The evidence panel of an answer: what it lists, what it offers, in a fixed number of
queries; and the name a downloaded file gets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cycles.models import Cycle
from evidence import services
from evidence.queries import download_name, evidence_panel
from evidence.tests.helpers import pdf_bytes, upload
from institutions.models import User
from submissions.models import Submission


def add_file(submission, user, title, document_date=None, attach=True):
    return services.add_file_evidence(
        submission.cycle,
        submission.agency,
        by=user,
        # Each title its own content: the same file twice on an answer is one piece.
        uploaded_file=upload(f"{title}.pdf", pdf_bytes() + title.encode()),
        title=title,
        document_date=document_date,
        submission=submission if attach else None,
    )


def test_the_panel_lists_the_attached_evidence_in_attachment_order(
    cycle, agency, agency_user, submission
):
    Submission.objects.filter(pk=submission.pk).update(level=5)
    submission.refresh_from_db()
    review = add_file(submission, agency_user, "Laporan Reviu", datetime.date(2023, 5, 2))
    sk = add_file(submission, agency_user, "SK Kepegawaian", datetime.date(2025, 1, 10))
    services.add_revision(sk, by=agency_user, uploaded_file=upload("sk-2.pdf", pdf_bytes(2)))
    loose = add_file(submission, agency_user, "Notulen Rapat", attach=False)
    link = services.add_link_evidence(
        cycle, agency, by=agency_user, url="https://simpeg.pontianak.go.id", title="SIMPEG"
    )

    panel = evidence_panel(submission, agency_user)

    assert [item.evidence for item in panel.items] == [review, sk]
    assert [item.letter for item in panel.items] == ["a", "b"]
    assert [item.download_name for item in panel.items] == [
        "36.a.Laporan-Reviu.pdf",
        "36.b.SK-Kepegawaian.pdf",
    ]
    assert [item.revision_count for item in panel.items] == [1, 2]
    assert [r.number for r in panel.items[1].revisions] == [2, 1]
    assert panel.items[1].latest.number == 2
    assert panel.items[0].warnings == [
        "Dokumen reviu/evaluasi bertanggal lebih dari 2 tahun tidak mendukung tingkat 5."
    ]
    assert panel.items[1].warnings == []
    assert [(item.pk, item.title) for item in panel.attachable] == [  # by title
        (loose.pk, "Notulen Rapat"),
        (link.pk, "SIMPEG"),
    ]
    assert (panel.can_edit, panel.locked) == (True, False)
    assert panel.upload_url == f"/bukti/isian/{submission.pk}/unggah/"
    assert panel.link_url == f"/bukti/isian/{submission.pk}/tautan/"
    assert panel.attach_url == f"/bukti/isian/{submission.pk}/lampirkan/"
    assert panel.reuse_url == f"/bukti/periode/{cycle.pk}/opd/{agency.pk}/pakai-ulang/"
    assert panel.items[0].detach_url == f"/bukti/isian/{submission.pk}/lepas/{review.pk}/"
    assert panel.items[0].revision_url == f"/bukti/isian/{submission.pk}/revisi/{review.pk}/"
    assert panel.max_size == "50 MB"


def test_the_panel_is_read_only_for_staff_after_the_deadline_and_once_submitted(
    cycle, agency, agency_user, evaluator, coordinator, submission
):
    add_file(submission, agency_user, "SK Kepegawaian")
    assert evidence_panel(submission, evaluator).can_edit is False
    assert evidence_panel(submission, coordinator).can_edit is True

    Cycle.objects.filter(pk=cycle.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    submission = Submission.objects.get(pk=submission.pk)
    panel = evidence_panel(submission, agency_user)
    assert (panel.can_edit, panel.locked) == (False, True)
    assert len(panel.items) == 1

    Cycle.objects.filter(pk=cycle.pk).update(deadline=timezone.localdate())
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    submission = Submission.objects.get(pk=submission.pk)
    panel = evidence_panel(submission, agency_user)
    assert (panel.can_edit, panel.locked) == (False, False)


def count_panel_queries(submission_pk, user_pk):
    # Fresh objects, as a request has them: nothing cached on the submission or the user.
    submission = Submission.objects.get(pk=submission_pk)
    user = User.objects.get(pk=user_pk)
    with CaptureQueriesContext(connection) as queries:
        panel = evidence_panel(submission, user)
    return len(queries), panel


@pytest.mark.parametrize("after_deadline", [False, True], ids=["open", "after-deadline"])
def test_the_panel_runs_a_fixed_number_of_queries(
    cycle, agency, agency_user, coordinator, submission, after_deadline
):
    add_file(submission, agency_user, "Dokumen 00", datetime.date(2025, 1, 1))
    add_file(submission, agency_user, "Lepas 00", attach=False)
    if after_deadline:
        Cycle.objects.filter(pk=cycle.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=2)
        )
    one, panel = count_panel_queries(submission.pk, agency_user.pk)
    assert (len(panel.items), len(panel.attachable)) == (1, 1)

    if after_deadline:
        Cycle.objects.filter(pk=cycle.pk).update(deadline=timezone.localdate())
    for number in range(1, 20):
        evidence = add_file(submission, coordinator, f"Dokumen {number:02}")
        services.add_revision(evidence, by=coordinator, uploaded_file=upload("r.pdf", pdf_bytes(2)))
        add_file(submission, coordinator, f"Lepas {number:02}", attach=False)
    if after_deadline:
        Cycle.objects.filter(pk=cycle.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=2)
        )
    twenty, panel = count_panel_queries(submission.pk, agency_user.pk)
    assert (len(panel.items), len(panel.attachable)) == (20, 20)

    # memberships, cycle, institution, agency, indicator, the answer's attachments, the
    # evidence (this OPD's of the cycle, or attached), revisions, the finished SOP steps 4
    # and 8 (+ the reopening check after the deadline)
    assert one == twenty == (10 if after_deadline else 9)


def test_download_name_follows_the_answer_it_is_downloaded_from(
    cycle, agency, agency_user, submission, framework
):
    other = Submission.objects.create(
        cycle=cycle, indicator=framework.nodes.get(code="I41"), agency=agency
    )
    add_file(submission, agency_user, "Notulen")
    sk = add_file(submission, agency_user, "SK Kepegawaian")
    services.attach_evidence(other, sk, by=agency_user)
    revision_one = sk.revisions.get()
    revision_two = services.add_revision(
        sk, by=agency_user, uploaded_file=upload("sk.pdf", pdf_bytes(2))
    )
    assert download_name(revision_two) == "36.b.SK-Kepegawaian.pdf"
    assert download_name(revision_two, other) == "41.a.SK-Kepegawaian.pdf"
    assert download_name(revision_one, submission) == "36.b.SK-Kepegawaian-revisi-1.pdf"
    loose = add_file(submission, agency_user, "Daftar Hadir", attach=False)
    assert download_name(loose.revisions.get()) == "Daftar-Hadir.pdf"


def test_the_panel_of_only_some_pieces_letters_them_among_all_attachments(
    cycle, agency, agency_user, submission
):
    """An upload's answer to the panel's script: the new rows only, no attach menu."""
    _perwa, sk, notulen = (add_file(submission, agency_user, t) for t in ("Perwa", "SK", "Notulen"))
    loose = add_file(submission, agency_user, "Lepas", attach=False)
    submission = Submission.objects.get(pk=submission.pk)
    user = User.objects.get(pk=agency_user.pk)
    with CaptureQueriesContext(connection) as queries:
        panel = evidence_panel(submission, user, only=[notulen.pk, loose.pk, sk.pk])
    assert [(i.evidence, i.reference, i.position) for i in panel.items] == [
        (sk, "Dokumen 36.b", 1),
        (notulen, "Dokumen 36.c", 2),
    ]
    assert (panel.attachable, panel.can_edit) == ([], True)
    # As the whole panel (test_the_panel_runs_a_fixed_number_of_queries).
    assert len(queries) == 9
    with CaptureQueriesContext(connection) as queries:
        panel = evidence_panel(submission, user, only=[])
    # Nothing to show (a refused file): the window and the attachments only, the rest kept
    # on the objects from the first call; no evidence or revisions read.
    assert (panel.items, len(queries)) == ([], 2)


def test_the_attach_menu_names_each_option_with_its_date_escaped(
    cycle, agency, agency_user, submission
):
    dated = add_file(
        submission, agency_user, "SK <Tim> & Pokja", datetime.date(2025, 1, 2), attach=False
    )
    undated = add_file(submission, agency_user, "Notulen", attach=False)

    panel = evidence_panel(submission, agency_user)

    assert panel.attach_options == (
        f'<option value="{undated.pk}">Notulen</option>'
        f'<option value="{dated.pk}">SK &lt;Tim&gt; &amp; Pokja (2 Januari 2025)</option>'
    )

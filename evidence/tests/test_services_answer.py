"""Evidence added before the answer exists (the empty draft at version 0), correcting a
title and a date, and the answer's references rewritten when a piece is detached."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from cycles.models import Assignment
from evidence import services
from evidence.models import Evidence
from evidence.queries import attached_ids
from evidence.tests.helpers import pdf_bytes, stored_files, upload
from evidence.tests.test_services import past_deadline
from submissions import services as submission_services
from submissions.models import Submission


def add_file(cycle, agency, user, name="SK_Tim  SPBE.pdf", content=None, **target):
    return services.add_file_evidence(
        cycle,
        agency,
        by=user,
        uploaded_file=upload(name, content or pdf_bytes() + name.encode()),
        title="",
        **target,
    )


def actions():
    """The answers' and evidence's audit actions, in order (the cycle's own left out)."""
    events = AuditEvent.objects.filter(action__regex=r"^(submission|evidence)\.")
    return list(events.order_by("pk").values_list("action", flat=True))


# --- Before the answer exists ---------------------------------------------------------------


def test_the_first_file_creates_the_empty_draft_at_version_0(cycle, agency, agency_user, indicator):
    evidence = add_file(cycle, agency, agency_user, indicator=indicator)

    submission = Submission.objects.get()
    assert (submission.cycle, submission.agency, submission.indicator) == (cycle, agency, indicator)
    assert (submission.status, submission.version, submission.level) == ("draft", 0, None)
    assert (submission.fakta, submission.analisis, submission.updated_by) == ("", "", agency_user)
    assert list(submission.evidence.all()) == [evidence]
    assert evidence.title == "SK Tim SPBE"  # the file's name, cleaned
    assert actions() == ["submission.draft_created", "evidence.added"]
    created = AuditEvent.objects.get(action="submission.draft_created")
    assert (created.target, created.after) == (
        f"submissions.submission:{submission.pk}",
        {"status": "draft", "version": 0, "reason": "evidence"},
    )
    assert AuditEvent.objects.get(action="evidence.added").after["submission"] == submission.pk

    # The form opened before the upload autosaves with version 0: no conflict.
    saved = submission_services.save_draft(
        cycle, indicator, agency, by=agency_user, level=3, fakta="F", analisis="A", version=0
    )
    assert (saved.pk, saved.version, saved.level) == (submission.pk, 1, 3)


def test_later_files_and_links_join_the_same_answer(cycle, agency, agency_user, indicator):
    first = add_file(cycle, agency, agency_user, "a.pdf", indicator=indicator)
    second = add_file(cycle, agency, agency_user, "b.pdf", indicator=indicator)
    link = services.add_link_evidence(
        cycle, agency, by=agency_user, url="https://x.go.id", title="X", indicator=indicator
    )
    submission = Submission.objects.get()
    assert attached_ids(submission) == [first.pk, second.pk, link.pk]
    assert submission.version == 0
    assert actions().count("submission.draft_created") == 1


def test_a_link_creates_the_answer_too(cycle, agency, agency_user, indicator):
    link = services.add_link_evidence(
        cycle, agency, by=agency_user, url="https://x.go.id", title="Situs", indicator=indicator
    )
    assert list(Submission.objects.get().evidence.all()) == [link]
    assert actions() == ["submission.draft_created", "evidence.added"]


@pytest.mark.parametrize("persona", ["coordinator", "other_agency_user", "evaluator", "outsider"])
def test_only_the_opds_operator_creates_the_answer(
    settings, request, cycle, agency, indicator, persona
):
    with pytest.raises(PermissionDenied):
        add_file(cycle, agency, request.getfixturevalue(persona), indicator=indicator)
    assert (Submission.objects.count(), Evidence.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_an_indicator_not_assigned_to_the_opd_creates_nothing(
    settings, cycle, agency, agency_user, indicator
):
    Assignment.objects.filter(cycle=cycle, indicator=indicator, agency=agency).delete()
    with pytest.raises(PermissionDenied):
        add_file(cycle, agency, agency_user, indicator=indicator)
    assert (Submission.objects.count(), Evidence.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_after_the_deadline_no_answer_is_created(settings, cycle, agency, agency_user, indicator):
    past_deadline(cycle)
    with pytest.raises(ValidationError) as error:
        add_file(cycle, agency, agency_user, indicator=indicator)
    assert error.value.code == "locked"
    assert (Submission.objects.count(), stored_files(settings)) == (0, [])


def test_a_submitted_answer_takes_no_file_by_its_indicator(
    settings, cycle, agency, agency_user, indicator
):
    Submission.objects.create(cycle=cycle, agency=agency, indicator=indicator, status="submitted")
    with pytest.raises(ValidationError) as error:
        add_file(cycle, agency, agency_user, indicator=indicator)
    assert error.value.messages == [
        "Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."
    ]
    assert (Evidence.objects.count(), stored_files(settings)) == (0, [])


def test_a_draft_created_a_moment_ago_is_used_not_duplicated(
    cycle, agency, agency_user, indicator, monkeypatch
):
    """The race: the answer does not exist when read, and exists when inserted."""
    real_filter = Submission.objects.select_for_update

    class MissingOnce:
        def __init__(self):
            self.calls = 0

        def __call__(self):
            self.calls += 1
            queryset = real_filter()
            if self.calls == 1:
                Submission.objects.create(cycle=cycle, agency=agency, indicator=indicator)
                return queryset.none()
            return queryset

    monkeypatch.setattr(Submission.objects, "select_for_update", MissingOnce())
    evidence = add_file(cycle, agency, agency_user, indicator=indicator)
    submission = Submission.objects.get()
    assert list(submission.evidence.all()) == [evidence]
    assert actions() == ["evidence.added"]  # the other request recorded the creation


# --- Title and date ---------------------------------------------------------------------------


@pytest.fixture
def piece(cycle, agency, agency_user, submission):
    return add_file(cycle, agency, agency_user, "scan_001.pdf", submission=submission)


def test_title_and_date_are_corrected_and_audited(agency_user, piece):
    assert services.edit_evidence(
        piece, by=agency_user, title="  SK  Tim SPBE ", document_date=datetime.date(2025, 1, 10)
    )
    piece.refresh_from_db()
    assert (piece.title, piece.document_date) == ("SK Tim SPBE", datetime.date(2025, 1, 10))
    event = AuditEvent.objects.get(action="evidence.edited")
    assert (event.target, event.before, event.after) == (
        f"evidence.evidence:{piece.pk}",
        {"title": "scan 001", "document_date": None},
        {"title": "SK Tim SPBE", "document_date": "2025-01-10"},
    )
    # The same values again (a double click) change and record nothing.
    assert not services.edit_evidence(
        piece, by=agency_user, title="SK Tim SPBE", document_date=datetime.date(2025, 1, 10)
    )
    assert AuditEvent.objects.filter(action="evidence.edited").count() == 1


def test_an_empty_title_is_refused(agency_user, piece):
    with pytest.raises(ValidationError) as error:
        services.edit_evidence(piece, by=agency_user, title=" ", document_date=None)
    assert error.value.messages == ["Judul dokumen wajib diisi."]


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_the_title_is_frozen_once_the_answer_is_submitted(agency_user, piece, submission, status):
    Submission.objects.filter(pk=submission.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        services.edit_evidence(piece, by=agency_user, title="Baru", document_date=None)
    assert error.value.messages == [
        "Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."
    ]
    piece.refresh_from_db()
    assert piece.title == "scan 001"


def test_the_title_is_frozen_after_the_deadline(cycle, agency_user, piece):
    past_deadline(cycle)
    piece = Evidence.objects.select_related("cycle", "agency").get(pk=piece.pk)
    with pytest.raises(ValidationError) as error:
        services.edit_evidence(piece, by=agency_user, title="Baru", document_date=None)
    assert error.value.code == "locked"
    assert not AuditEvent.objects.filter(action="evidence.edited").exists()


@pytest.mark.parametrize("persona", ["other_agency_user", "evaluator", "outsider"])
def test_others_cannot_edit(request, piece, persona):
    with pytest.raises(PermissionDenied):
        services.edit_evidence(
            piece, by=request.getfixturevalue(persona), title="Baru", document_date=None
        )


# --- References in the answer's text ------------------------------------------------------


def test_rewrite_references_renumbers_only_this_indicators_letters():
    fakta, analisis, applied = services.rewrite_references(
        "36",
        1,
        4,
        "SK Tim",
        "Dokumen 36.a, Dokumen 36.b dan Dokumen 36.c; Dokumen 36.d hlm. 2. Lihat Dokumen 41.b "
        "dan Dokumen 361.b; Dokumen 36.bb tidak ada.",
        "Dokumen 36.d.",
    )
    assert fakta == (
        "Dokumen 36.a, “SK Tim” (dilepas) dan Dokumen 36.b; Dokumen 36.c hlm. 2. Lihat Dokumen "
        "41.b dan Dokumen 361.b; Dokumen 36.bb tidak ada."
    )
    assert analisis == "Dokumen 36.c."
    assert applied == {
        "Dokumen 36.b": "“SK Tim” (dilepas)",
        "Dokumen 36.c": "Dokumen 36.b",
        "Dokumen 36.d": "Dokumen 36.c",
    }


@pytest.fixture
def three(cycle, agency, agency_user, submission):
    """Pieces a, b and c of the answer to indicator 36."""
    return [
        add_file(cycle, agency, agency_user, f"{name}.pdf", submission=submission)
        for name in ("Perwa", "SK Tim", "Notulen")
    ]


def test_detaching_rewrites_the_answers_references(agency_user, submission, three):
    Submission.objects.filter(pk=submission.pk).update(
        fakta="Perwa (Dokumen 36.a), SK (Dokumen 36.b), notulen (Dokumen 36.c).",
        analisis="Dokumen 36.c membuktikan rapat.",
        version=4,
    )
    submission = Submission.objects.select_related("cycle__institution", "indicator").get()

    detached = services.detach_evidence(submission, three[1], by=agency_user)

    expected_fakta = "Perwa (Dokumen 36.a), SK (“SK Tim” (dilepas)), notulen (Dokumen 36.b)."
    references = {"Dokumen 36.b": "“SK Tim” (dilepas)", "Dokumen 36.c": "Dokumen 36.b"}
    assert detached == services.Detachment(references=references, version=5)
    assert (submission.fakta, submission.analisis, submission.version) == (
        expected_fakta,
        "Dokumen 36.b membuktikan rapat.",
        5,
    )
    stored = Submission.objects.get()
    assert (stored.fakta, stored.analisis, stored.version) == (
        expected_fakta,
        "Dokumen 36.b membuktikan rapat.",
        5,
    )
    event = AuditEvent.objects.get(action="evidence.detached")
    assert (event.before, event.after) == (
        {"evidence": three[1].pk, "title": "SK Tim", "version": 4},
        {"version": 5, "references": references},
    )


def test_detaching_without_references_keeps_the_text_and_version(agency_user, submission, three):
    Submission.objects.filter(pk=submission.pk).update(fakta="Tanpa rujukan.", version=2)
    submission = Submission.objects.select_related("cycle__institution", "indicator").get()
    detached = services.detach_evidence(submission, three[2], by=agency_user)
    assert detached == services.Detachment(references={}, version=2)
    assert Submission.objects.values_list("fakta", "version").get() == ("Tanpa rujukan.", 2)
    event = AuditEvent.objects.get(action="evidence.detached")
    assert (event.before, event.after) == ({"evidence": three[2].pk, "title": "Notulen"}, None)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("SK_Tim  SPBE.pdf", "SK Tim SPBE"),
        ("E-Government Roadmap.pdf", "E-Government Roadmap"),
        ("36.a.SK-Kepegawaian.pdf", "SK Kepegawaian"),
        ("25.ab.Perwa-8-2098.pdf", "Perwa 8 2098"),
        ("2024.laporan.pdf", "2024.laporan"),
        ("noextension", "noextension"),
    ],
)
def test_default_title_is_the_file_name_without_a_national_prefix(name, title):
    assert services.default_title(name) == title

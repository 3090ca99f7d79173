"""Who may add evidence and until when; links; attaching to answers; reusing last year's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.models import Cycle
from cycles.queries import previous_cycle
from documents.formal import tanggal
from evidence import permissions, services
from evidence.models import Evidence, EvidenceRevision
from evidence.tests.helpers import pdf_bytes, stored_files, upload
from submissions.models import Reopening, Submission


def add_file(cycle, agency, user, content=None, **kwargs):
    return services.add_file_evidence(
        cycle,
        agency,
        by=user,
        uploaded_file=upload("sk.pdf", content or pdf_bytes()),
        title=kwargs.pop("title", "SK Kepegawaian"),
        **kwargs,
    )


def past_deadline(cycle, days=2):
    Cycle.objects.filter(pk=cycle.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=days)
    )
    cycle.refresh_from_db()
    return cycle


def reopen(cycle, agency, coordinator, *, hours):
    return Reopening.objects.create(
        cycle=cycle,
        agency=agency,
        until=timezone.now() + datetime.timedelta(hours=hours),
        reason="Data dukung menyusul.",
        by=coordinator,
    )


# --- Who may add --------------------------------------------------------------------------


def test_the_operator_and_the_coordinator_may_add_evidence(cycle, agency, agency_user, coordinator):
    add_file(cycle, agency, agency_user)
    add_file(cycle, agency, coordinator)
    assert Evidence.objects.filter(agency=agency).count() == 2


@pytest.mark.parametrize("persona", ["other_agency_user", "outsider", "evaluator", "supervisor"])
def test_others_may_not_add_evidence(settings, request, cycle, agency, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        add_file(cycle, agency, user)
    with pytest.raises(PermissionDenied):
        services.add_link_evidence(
            cycle, agency, by=user, url="https://bkpsdm.pontianak.go.id", title="Situs"
        )
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []


def test_can_add_evidence_checks_role_and_institution(
    cycle, agency, other_agency, agency_user, coordinator, evaluator, outsider
):
    assert permissions.can_add_evidence(agency_user, cycle, agency) is True
    assert permissions.can_add_evidence(agency_user, cycle, other_agency) is False
    assert permissions.can_add_evidence(coordinator, cycle, other_agency) is True
    assert permissions.can_add_evidence(evaluator, cycle, agency) is False
    assert permissions.can_add_evidence(outsider, cycle, agency) is False


def test_an_agency_outside_the_cycle_is_refused(institution, cycle, coordinator):
    from institutions.models import Agency

    absent = Agency.objects.create(
        institution=institution, name="Dinas Pariwisata", short_name="Dispar"
    )
    with pytest.raises(ValidationError) as error:
        add_file(cycle, absent, coordinator)
    assert error.value.messages == ["OPD ini bukan peserta periode monev ini."]


# --- Until when ---------------------------------------------------------------------------


def test_after_the_deadline_an_upload_is_refused(settings, cycle, agency, agency_user):
    past_deadline(cycle)
    with pytest.raises(ValidationError) as error:
        add_file(cycle, agency, agency_user)
    assert error.value.messages == [
        f"Batas waktu pengisian OPD ({tanggal(cycle.deadline)}) sudah lewat; data dukung "
        "hanya dapat diubah bila koordinator membuka kembali isian OPD ini."
    ]
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []


def test_on_the_deadline_day_itself_the_opd_may_still_upload(cycle, agency, agency_user):
    past_deadline(cycle, days=0)
    assert permissions.evidence_locked(cycle, agency) is False
    add_file(cycle, agency, agency_user)


def test_a_reopening_lets_the_opd_upload_after_the_deadline(
    cycle, agency, other_agency, agency_user, coordinator
):
    past_deadline(cycle)
    reopen(cycle, agency, coordinator, hours=24)
    evidence = add_file(cycle, agency, agency_user)
    assert evidence.revisions.get().number == 1
    # Only for the OPD it reopens.
    assert permissions.evidence_locked(cycle, other_agency) is True


def test_an_expired_reopening_does_not(cycle, agency, agency_user, coordinator):
    past_deadline(cycle)
    reopen(cycle, agency, coordinator, hours=-1)
    with pytest.raises(ValidationError):
        add_file(cycle, agency, agency_user)


def test_the_deadline_is_read_in_the_institution_time_zone(institution, cycle, agency):
    # 23:30 on the deadline day in Jayapura (UTC+9) is 14:30 UTC: still the deadline day.
    institution.time_zone = "Asia/Jayapura"
    institution.save()
    cycle.refresh_from_db()
    deadline_evening = datetime.datetime.combine(
        cycle.deadline, datetime.time(14, 30), tzinfo=datetime.UTC
    )
    assert permissions.evidence_locked(cycle, agency, now=deadline_evening) is False
    next_morning = deadline_evening + datetime.timedelta(hours=1)
    assert permissions.evidence_locked(cycle, agency, now=next_morning) is True


# --- Links --------------------------------------------------------------------------------


def test_a_link_is_added(cycle, agency, agency_user, submission):
    evidence = services.add_link_evidence(
        cycle,
        agency,
        by=agency_user,
        url="  https://jdih.pontianak.go.id/perwa-12-2024  ",
        title="Perwa 12/2024",
        document_date=datetime.date(2024, 3, 1),
        submission=submission,
    )
    assert (evidence.kind, evidence.url, evidence.title) == (
        "link",
        "https://jdih.pontianak.go.id/perwa-12-2024",
        "Perwa 12/2024",
    )
    assert list(submission.evidence.all()) == [evidence]
    assert EvidenceRevision.objects.count() == 0
    assert AuditEvent.objects.get(action="evidence.added").after["url"] == evidence.url


def test_the_same_link_again_on_the_same_answer_adds_nothing(
    cycle, agency, agency_user, submission
):
    link = {"url": "https://jdih.pontianak.go.id/perwa-12-2024", "title": "Perwa 12/2024"}
    first = services.add_link_evidence(cycle, agency, by=agency_user, submission=submission, **link)

    again = services.add_link_evidence(cycle, agency, by=agency_user, submission=submission, **link)

    assert (again, list(submission.evidence.all())) == (first, [first])
    assert AuditEvent.objects.filter(action="evidence.added").count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Tautan harus diawali http:// atau https://."),
        ("ftp://x", "Tautan harus diawali http:// atau https://."),
        ("file:///etc/passwd", "Tautan harus diawali http:// atau https://."),
        ("data:text/html,<script>alert(1)</script>", "Tautan harus diawali http:// atau https://."),
        ("//evil.example/x", "Tautan harus diawali http:// atau https://."),
        ("jdih.pontianak.go.id", "Tautan harus diawali http:// atau https://."),
        ("", "Tautan harus diawali http:// atau https://."),
        ("http://", "Tautan tidak valid."),
        ("https://contoh go id/", "Tautan tidak valid."),
        ("https://x.go.id/" + "a" * 1000, "Tautan paling panjang 1000 karakter."),
    ],
)
def test_a_link_that_is_not_http_is_refused(cycle, agency, agency_user, url, message):
    with pytest.raises(ValidationError) as error:
        services.add_link_evidence(cycle, agency, by=agency_user, url=url, title="Tautan")
    assert error.value.messages == [message]
    assert Evidence.objects.count() == 0


def test_a_link_needs_a_title(cycle, agency, agency_user):
    with pytest.raises(ValidationError) as error:
        services.add_link_evidence(cycle, agency, by=agency_user, url="https://x.go.id", title="")
    assert error.value.messages == ["Judul dokumen wajib diisi."]


# --- Attaching to answers -----------------------------------------------------------------


@pytest.fixture
def second_submission(cycle, agency, framework):
    """BKPSDM's answer to indicator 41 (Layanan Kinerja Pegawai)."""
    return Submission.objects.create(
        cycle=cycle, indicator=framework.nodes.get(code="I41"), agency=agency
    )


def test_one_file_supports_several_answers(
    cycle, agency, agency_user, submission, second_submission
):
    evidence = add_file(cycle, agency, agency_user, submission=submission)
    assert services.attach_evidence(second_submission, evidence, by=agency_user) is True
    assert services.attach_evidence(second_submission, evidence, by=agency_user) is False
    assert set(evidence.submissions.all()) == {submission, second_submission}
    event = AuditEvent.objects.get(action="evidence.attached")
    assert (event.target, event.after) == (
        f"submissions.submission:{second_submission.pk}",
        {"evidence": evidence.pk, "title": "SK Kepegawaian"},
    )


def test_detaching_keeps_the_evidence_and_its_file(
    settings, cycle, agency, agency_user, submission
):
    evidence = add_file(cycle, agency, agency_user, submission=submission)
    assert services.detach_evidence(submission, evidence, by=agency_user) == services.Detachment(
        references={}, version=0
    )
    assert services.detach_evidence(submission, evidence, by=agency_user) is None
    assert list(submission.evidence.all()) == []
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert stored_files(settings) == [evidence.revisions.get().file.name]
    assert AuditEvent.objects.filter(action="evidence.detached").count() == 1


def test_another_opds_evidence_cannot_be_attached(
    cycle, other_agency, other_agency_user, submission, coordinator
):
    foreign = add_file(cycle, other_agency, other_agency_user)
    with pytest.raises(ValidationError) as error:
        services.attach_evidence(submission, foreign, by=coordinator)
    assert error.value.messages == ["Data dukung dan isian harus milik OPD dan periode yang sama."]
    with pytest.raises(PermissionDenied):
        services.attach_evidence(submission, foreign, by=other_agency_user)


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_a_submitted_answer_keeps_its_evidence(cycle, agency, agency_user, submission, status):
    evidence = add_file(cycle, agency, agency_user, submission=submission)
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    closed = "Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."
    for action in (services.detach_evidence, services.attach_evidence):
        with pytest.raises(ValidationError) as error:
            action(submission, evidence, by=agency_user)
        assert error.value.messages == [closed]
    with pytest.raises(ValidationError) as error:
        services.add_revision(evidence, by=agency_user, uploaded_file=upload("b.pdf", pdf_bytes(2)))
    assert error.value.messages == [
        "Data dukung ini mendukung isian yang sudah diajukan atau diterima; unggah sebagai "
        "data dukung baru."
    ]
    with pytest.raises(ValidationError) as error:
        add_file(cycle, agency, agency_user, submission=submission)
    assert error.value.messages == [closed]


def test_a_returned_answer_can_change_its_evidence_again(cycle, agency, agency_user, submission):
    evidence = add_file(cycle, agency, agency_user, submission=submission)
    Submission.objects.filter(pk=submission.pk).update(status="returned")
    submission.refresh_from_db()
    assert services.detach_evidence(submission, evidence, by=agency_user) is not None


def test_a_link_has_no_revisions(cycle, agency, agency_user):
    link = services.add_link_evidence(
        cycle, agency, by=agency_user, url="https://x.go.id", title="Situs"
    )
    with pytest.raises(ValidationError) as error:
        services.add_revision(link, by=agency_user, uploaded_file=upload("b.pdf", pdf_bytes()))
    assert error.value.messages == ["Tautan tidak memiliki revisi berkas."]


# --- Reusing last year's evidence ---------------------------------------------------------


@pytest.fixture
def last_year(framework, sop, coordinator, agency, other_agency):
    """The 2025 cycle; its deadline moved into the past once its evidence is in."""
    return cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        contact_person=coordinator,
    )


@pytest.fixture
def last_year_evidence(last_year, agency, other_agency, agency_user, other_agency_user):
    sk = add_file(last_year, agency, agency_user, pdf_bytes(1), title="SK Kepegawaian")
    services.add_revision(sk, by=agency_user, uploaded_file=upload("sk-2.pdf", pdf_bytes(3)))
    link = services.add_link_evidence(
        last_year, agency, by=agency_user, url="https://simpeg.pontianak.go.id", title="SIMPEG"
    )
    foreign = add_file(last_year, other_agency, other_agency_user, title="SK Dinkes")
    past_deadline(last_year, days=300)
    return sk, link, foreign


def test_reuse_brings_last_years_evidence_without_copying_bytes(
    settings, cycle, agency, agency_user, last_year, last_year_evidence
):
    sk, link, _foreign = last_year_evidence
    files_before = stored_files(settings)
    created = services.reuse_previous_evidence(
        cycle, agency, by=agency_user, evidence_ids=[sk.pk, link.pk]
    )
    new_sk, new_link = created
    assert (new_sk.cycle, new_sk.reused_from, new_sk.title) == (cycle, sk, "SK Kepegawaian")
    assert (new_link.kind, new_link.url, new_link.reused_from) == ("link", link.url, link)
    old_latest = sk.revisions.get(number=2)
    copied = new_sk.revisions.get()
    assert (copied.number, copied.file.name, copied.sha256, copied.size) == (
        1,
        old_latest.file.name,
        old_latest.sha256,
        old_latest.size,
    )
    assert stored_files(settings) == files_before
    assert sk.revisions.count() == 2  # last year's history is untouched
    event = AuditEvent.objects.get(action="evidence.reused")
    assert event.after == {
        "agency": agency.pk,
        "from_cycle": last_year.pk,
        "evidence": {str(sk.pk): new_sk.pk, str(link.pk): new_link.pk},
    }


def test_reusing_twice_brings_nothing_new(cycle, agency, agency_user, last_year_evidence):
    sk, link, _foreign = last_year_evidence
    services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=[sk.pk])
    created = services.reuse_previous_evidence(
        cycle, agency, by=agency_user, evidence_ids=[sk.pk, link.pk]
    )
    assert [new.reused_from for new in created] == [link]
    with pytest.raises(ValidationError) as error:
        services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=[sk.pk])
    assert error.value.messages == [
        "Data dukung yang dipilih sudah dipakai ulang pada periode ini."
    ]


def test_the_database_refuses_a_second_copy_of_the_same_piece(
    cycle, agency, agency_user, last_year_evidence
):
    sk, _link, _foreign = last_year_evidence
    services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=[sk.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            cycle=cycle,
            agency=agency,
            kind="file",
            title="Salinan",
            reused_from=sk,
            created_by=agency_user,
        )


def test_reuse_takes_only_this_opds_evidence_of_the_previous_cycle(
    cycle, agency, agency_user, last_year_evidence
):
    sk, _link, foreign = last_year_evidence
    this_year = add_file(cycle, agency, agency_user)
    for ids in ([foreign.pk], [sk.pk, this_year.pk], ["x"]):
        with pytest.raises(ValidationError) as error:
            services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=ids)
        assert error.value.messages == [
            "Data dukung yang dipilih bukan milik OPD ini pada periode sebelumnya."
        ]
    with pytest.raises(ValidationError) as error:
        services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=[])
    assert error.value.messages == ["Pilih setidaknya satu data dukung."]
    assert Evidence.objects.filter(cycle=cycle).count() == 1


def test_reuse_needs_a_previous_cycle(cycle, agency, agency_user):
    with pytest.raises(ValidationError) as error:
        services.reuse_previous_evidence(cycle, agency, by=agency_user, evidence_ids=[1])
    assert error.value.messages == ["Tidak ada periode monev sebelumnya."]


def test_reuse_is_for_the_opds_operator(cycle, agency, other_agency_user, last_year_evidence):
    sk, _link, _foreign = last_year_evidence
    with pytest.raises(PermissionDenied):
        services.reuse_previous_evidence(cycle, agency, by=other_agency_user, evidence_ids=[sk.pk])


def test_the_previous_cycle_is_the_one_copied_from_else_last_year(
    cycle, last_year, framework, sop, coordinator, agency
):
    assert previous_cycle(cycle) == last_year
    older = cycle_services.open_cycle(
        by=coordinator,
        year=2023,
        framework=framework,
        agencies=[agency],
        deadline=datetime.date(2023, 12, 15),
        contact_person=coordinator,
    )
    Cycle.objects.filter(pk=cycle.pk).update(copied_from=older)
    cycle.refresh_from_db()
    assert previous_cycle(cycle) == older
    assert previous_cycle(older) is None


def test_the_same_file_twice_on_an_answer_is_one_piece(
    cycle, agency, agency_user, submission, settings
):
    first = add_file(cycle, agency, agency_user, submission=submission)
    again = add_file(cycle, agency, agency_user, submission=submission, title="Lain")
    other = add_file(cycle, agency, agency_user, pdf_bytes(2), submission=submission)
    loose = add_file(cycle, agency, agency_user)

    assert again == first
    assert Evidence.objects.count() == 3
    assert list(submission.evidence.order_by("pk")) == [first, other]
    assert loose not in (first, other)
    assert len(stored_files(settings)) == 3  # the second copy deleted


def test_the_same_content_as_the_latest_revision_is_no_new_revision(
    cycle, agency, agency_user, settings
):
    evidence = add_file(cycle, agency, agency_user)
    second = services.add_revision(
        evidence, by=agency_user, uploaded_file=upload("b.pdf", pdf_bytes(2))
    )
    again = services.add_revision(
        evidence, by=agency_user, uploaded_file=upload("c.pdf", pdf_bytes(2))
    )

    assert again == second
    assert list(evidence.revisions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert len(stored_files(settings)) == 2  # the repeated copy deleted

"""STORAGE=s3 on a real S3-protocol server (moto, see conftest.py): data dukung uploaded
through the form, downloaded through the permission-checked view, the evidence package
streamed into the bucket by its background job, and a generated document stored and
downloaded — nothing on the local disk, no storage path asked for."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3Storage

from cycles import services as cycle_services
from documents.models import Document
from evidence.models import Evidence
from evidence.tests.helpers import pdf_bytes, upload
from submissions import services as submission_services

pytestmark = pytest.mark.django_db

FOLDER = "1. Kebijakan Internal Arsitektur SPBE Instansi Pusat-Pemerintah"


@pytest.fixture
def indicator(framework):
    return framework.nodes.get(code="I1")


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency, indicator):
    """BKPSDM and Dinkes answer indicator 1; step 4 (the OPDs' answers) running."""
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={indicator: [agency, other_agency]},
    )
    for number in (1, 2, 3):
        cycle_services.finish_step(cycle, number, by=coordinator)
    cycle_services.start_step(cycle, 4, by=coordinator)
    return cycle


@pytest.fixture
def submission(cycle, indicator, agency, agency_user):
    return submission_services.save_draft(
        cycle,
        indicator,
        agency,
        by=agency_user,
        level=3,
        fakta="Ada Perwa.",
        analisis="Cukup.",
        version=0,
    )


def upload_evidence(client, user, submission, content, name="perwa.pdf"):
    """The operator's upload through the evidence form; returns the stored revision."""
    client.force_login(user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload(name, content), "title": "Perwa Arsitektur SPBE"},
    )
    assert response.status_code == 302
    return Evidence.objects.get(submissions=submission).revisions.get()


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def local_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*")) if root.exists() else []


def test_an_upload_lands_in_the_bucket_with_its_hash(
    s3_bucket, settings, client, agency_user, submission
):
    content = pdf_bytes(2)
    revision = upload_evidence(client, agency_user, submission, content)
    assert revision.sha256 == hashlib.sha256(content).hexdigest()
    assert s3_bucket.object_keys() == [f"monev/{revision.file.name}"]
    stored = s3_bucket.read(revision.file.name)
    assert hashlib.sha256(stored).hexdigest() == revision.sha256
    head = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=f"monev/{revision.file.name}")
    assert head["ContentLength"] == len(content) == revision.size
    assert local_files(settings) == []


def test_a_download_gives_the_owner_the_bytes_and_others_404(
    s3_bucket, client, agency_user, other_agency_user, outsider, submission
):
    content = pdf_bytes(3)
    revision = upload_evidence(client, agency_user, submission, content)
    url = reverse("evidence_download", args=[revision.pk])
    assert downloaded(client.get(url)) == content
    client.force_login(other_agency_user)
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_too_large_upload_leaves_nothing_in_the_bucket(
    s3_bucket, settings, client, agency_user, submission
):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("besar.pdf", pdf_bytes(20)), "title": "Besar"},
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 0
    assert s3_bucket.object_keys() == []


def test_the_evidence_package_is_streamed_into_the_bucket(
    s3_bucket,
    settings,
    client,
    agency_user,
    coordinator,
    submission,
    django_capture_on_commit_callbacks,
):
    content = pdf_bytes(1)
    revision = upload_evidence(client, agency_user, submission, content)
    submission_services.submit_submission(submission, by=agency_user)
    submission_services.accept_submission(submission, by=coordinator)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation_package", args=[submission.cycle.pk]))
    assert response.status_code == 302
    package = Document.objects.get(kind="evidence_package")
    assert s3_bucket.object_keys() == sorted(
        [f"monev/{revision.file.name}", f"monev/{package.file.name}"]
    )
    stored = s3_bucket.read(package.file.name)
    assert (len(stored), hashlib.sha256(stored).hexdigest()) == (package.size, package.sha256)
    archive = zipfile.ZipFile(io.BytesIO(stored))
    assert archive.read(f"{FOLDER}/1.a.Perwa-Arsitektur-SPBE.pdf") == content
    assert "MANIFEST.csv" in archive.namelist()
    assert downloaded(client.get(reverse("document_download", args=[package.pk]))) == stored
    assert local_files(settings) == []


def test_a_generated_document_is_stored_and_downloads_identical(
    s3_bucket, settings, client, coordinator, agency_user, cycle
):
    client.force_login(coordinator)
    made = client.post(reverse("official_form_download", args=[cycle.pk, "pdf"]))
    form = Document.objects.get(kind="official_form")
    stored = s3_bucket.read(form.file.name)
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == form.sha256
    assert downloaded(made) == stored
    assert downloaded(client.get(reverse("document_download", args=[form.pk]))) == stored
    client.force_login(agency_user)
    assert client.get(reverse("document_download", args=[form.pk])).status_code == 404
    assert local_files(settings) == []


def test_the_default_storage_is_the_bucket_and_has_no_local_paths(s3_bucket):
    # FileFields hold the lazy default_storage, so they follow the setting too.
    storage = Document._meta.get_field("file").storage
    assert storage is default_storage
    assert storage.bucket_name == s3_bucket.name
    assert type(storage._wrapped) is S3Storage
    assert (storage.default_acl, storage.querystring_auth, storage.location) == (
        None,
        True,
        "monev",
    )
    with pytest.raises(NotImplementedError):
        storage.path("documents/2026/x.pdf")

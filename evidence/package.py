"""The evidence package (paket data dukung) of a cycle: one ZIP with every file that supports
the agreed levels, foldered per indicator and named by the national convention, the official
form, and a manifest that lets anyone check each file against its SHA-256.

Built for 2,000-5,000 files of up to 50 MB: every file is copied in 1 MiB chunks from the
storage into the ZIP, which is written in one forward pass to any writable file object
(a file, a socket, the hashing writer of documents.services.store_document_file); nothing
holds a whole file in memory.
"""

import csv
import hashlib
import io
import json
import re
import zipfile
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Decision
from assessments.official_form import official_form_xlsx
from assessments.permissions import can_finalize
from assessments.queries import PROPOSED
from documents.jobs import update_job
from documents.models import new_code
from documents.services import store_document_file
from documents.verification import verification_url
from evidence.models import Evidence, EvidenceRevision
from evidence.naming import export_name
from frameworks.models import Node
from monev.exports import export_row
from submissions.models import Submission

CHUNK = 1024 * 1024
# Formats that are compressed already: deflating them again costs time and gains nothing.
STORED_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "docx", "xlsx", "odt", "ods", "zip"})
MAX_FOLDER_NAME = 60
KIND = "evidence_package"
Attachment = Submission.evidence.through
DecisionEvidence = Decision.evidence.through

MANIFEST_COLUMNS = [
    ("path", "berkas"),
    ("indicator", "indikator"),
    ("agency", "opd"),
    ("kind", "jenis"),
    ("title", "judul"),
    ("original_name", "nama_asli"),
    ("sha256", "sha256"),
    ("size", "ukuran_byte"),
    ("document_date", "tanggal_dokumen"),
    ("uploaded_at", "diunggah"),
    ("url", "tautan"),
]


class PackageError(ValidationError):
    """The package cannot be made (a stored file is missing or changed); the message says
    which file, in Bahasa Indonesia (shown as it is by documents.jobs.run_job)."""


@dataclass
class PackageEntry:
    """One line of the manifest: a file in the ZIP, or a link (no path)."""

    path: str
    indicator: str
    agency: str
    kind: str
    title: str
    original_name: str = ""
    sha256: str = ""
    size: int | None = None
    document_date: str = ""
    uploaded_at: str = ""
    url: str = ""
    revision: EvidenceRevision | None = None


def folder_name(indicator):
    """ "36. Layanan Kepegawaian" for indicator 36: its number and its name without the
    "Tingkat Kematangan" every 2020 indicator starts with, safe on every file system."""
    name = re.sub(r"^Tingkat Kematangan\s+", "", indicator.name)
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")
    if len(name) > MAX_FOLDER_NAME:
        name = name[: MAX_FOLDER_NAME + 1].rsplit(" ", 1)[0].rstrip(" .-")
    return f"{indicator.number}. {name}" if name else str(indicator.number)


def indicator_evidence(cycle):
    """{indicator node: [Evidence]}, in tree order: the data dukung of each indicator as the
    official form lists them (assessments.official_form) — those the team cited with its
    decision, in the order cited; for an indicator where it cited none, those of the OPDs'
    answers handed in (submitted or accepted), by OPD name, then in the order attached. A
    draft or returned answer's files are not in it. Each piece once per indicator.

    Four queries, ids first: a node's long texts and an answer's penjelasan are never loaded
    once per file."""
    cited, proposed = {}, {}
    for indicator_id, evidence_id in (
        DecisionEvidence.objects.filter(decision__assessment__cycle=cycle)
        .order_by("pk")
        .values_list("decision__indicator_id", "evidence_id")
    ):
        cited.setdefault(indicator_id, {})[evidence_id] = None
    for indicator_id, evidence_id in (
        Attachment.objects.filter(submission__cycle=cycle, submission__status__in=PROPOSED)
        .order_by("submission__agency__name", "submission_id", "pk")
        .values_list("submission__indicator_id", "evidence_id")
    ):
        proposed.setdefault(indicator_id, {})[evidence_id] = None
    chosen = {pk: list(cited.get(pk) or proposed[pk]) for pk in {*cited, *proposed}}
    nodes = Node.objects.filter(pk__in=chosen).defer("texts").in_bulk()
    evidence = (
        Evidence.objects.filter(pk__in={pk for ids in chosen.values() for pk in ids})
        .select_related("agency")
        .in_bulk()
    )
    ordered = sorted(chosen, key=lambda pk: nodes[pk].position)
    return {nodes[pk]: [evidence[e] for e in chosen[pk]] for pk in ordered}


def _latest_revisions(evidence_ids):
    """{evidence id: its newest revision} (one query)."""
    latest = {}
    for revision in EvidenceRevision.objects.filter(evidence_id__in=evidence_ids).order_by(
        "evidence_id", "number"
    ):
        latest[revision.evidence_id] = revision
    return latest


def _local(moment, zone):
    return timezone.localtime(moment, zone) if moment else None


def package_entries(cycle):
    """The manifest lines of the cycle's package, files first in folder order, then links.

    Names: the national export name "<no>.<letter>.<title>.<ext>" with the letters a, b, c …
    given in each indicator's order of indicator_evidence (a link takes its letter too), the
    same names as the official form and the Dokumen Evaluasi print. Two OPDs' first files of
    indicator 2 are therefore "2.a.…" and "2.b.…", never two "2.a"; the manifest says whose
    each file is. A path that would still repeat (titles that differ only in case) gets
    "-2", "-3" before its extension. Five queries.
    """
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    pieces = indicator_evidence(cycle)
    revisions = _latest_revisions({e.pk for items in pieces.values() for e in items})
    files, links, taken = [], [], set()
    for indicator, items in pieces.items():
        folder = folder_name(indicator)
        for index, evidence in enumerate(items):
            common = {
                "indicator": str(indicator.number),
                "agency": evidence.agency.short_name,
                "title": evidence.title,
                "document_date": evidence.document_date.isoformat()
                if evidence.document_date
                else "",
            }
            if evidence.kind == Evidence.Kind.LINK:
                links.append(PackageEntry(path="", kind="tautan", url=evidence.url, **common))
                continue
            revision = revisions.get(evidence.pk)
            if revision is None:
                continue
            name = export_name(indicator.number, index, evidence.title, revision.extension)
            path = _unique(f"{folder}/{name}", taken)
            files.append(
                PackageEntry(
                    path=path,
                    kind="berkas",
                    original_name=revision.original_name,
                    sha256=revision.sha256,
                    size=revision.size,
                    uploaded_at=_local(revision.uploaded_at, zone).isoformat(timespec="seconds"),
                    revision=revision,
                    **common,
                )
            )
    return files + links


def _unique(path, taken):
    stem, dot, ext = path.rpartition(".")
    candidate, number = path, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{ext}"
    taken.add(candidate.lower())
    return candidate


def _zip_info(path, moment, *, size=None, extension=""):
    stamp = (moment or timezone.now()).timetuple()[:6]
    info = zipfile.ZipInfo(path, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
    stored = extension.lower() in STORED_EXTENSIONS
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    if size is not None:
        # Known up front, so zipfile picks ZIP64 for a file over 2 GiB by itself.
        info.file_size = size
    return info


def _copy_file(archive, entry, zone):
    """Copy one revision's stored file into the archive in chunks; returns (sha256, size)
    of what was copied, which must be what was uploaded."""
    revision = entry.revision
    info = _zip_info(
        entry.path,
        _local(revision.uploaded_at, zone),
        size=revision.size,
        extension=revision.extension,
    )
    digest, size = hashlib.sha256(), 0
    try:
        source = revision.file.storage.open(revision.file.name, "rb")
    except FileNotFoundError:
        raise PackageError(
            _("Berkas data dukung %(path)s (%(agency)s) tidak ditemukan di penyimpanan.")
            % {"path": entry.path, "agency": entry.agency}
        ) from None
    with source, archive.open(info, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    if digest.hexdigest() != revision.sha256 or size != revision.size:
        raise PackageError(
            _(
                "Berkas data dukung %(path)s (%(agency)s) tidak sama dengan saat diunggah "
                "(SHA-256 berbeda); unggah ulang berkas itu, lalu buat paket lagi."
            )
            % {"path": entry.path, "agency": entry.agency}
        )
    return digest.hexdigest(), size


def _manifest_csv(entries):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _key, label in MANIFEST_COLUMNS])
    for entry in entries:
        writer.writerow(
            export_row(
                "" if getattr(entry, key) is None else getattr(entry, key)
                for key, _label in MANIFEST_COLUMNS
            )
        )
    # With a byte-order mark, Excel opens the Indonesian text as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def _manifest_json(cycle, entries, verification):
    rows = [{label: getattr(entry, key) for key, label in MANIFEST_COLUMNS} for entry in entries]
    return json.dumps(
        {
            "instansi": cycle.institution.name,
            "periode": cycle.name,
            "tahun": cycle.year,
            "kerangka": cycle.framework.name,
            "dibuat": timezone.localtime(
                timezone.now(), zoneinfo.ZoneInfo(cycle.institution.time_zone)
            ).isoformat(timespec="seconds"),
            "verifikasi": verification or {},
            "berkas": rows,
        },
        ensure_ascii=False,
        indent=2,
    ).encode()


@dataclass(frozen=True)
class PackageSummary:
    files: int
    links: int
    bytes: int


def write_evidence_package(cycle, fileobj, *, progress=None, verification=None):
    """Write the cycle's evidence package as a ZIP to `fileobj` (writable; need not be
    seekable) and return a PackageSummary.

    Content: one folder per indicator ("<no>. <name>/") with each data dukung file of the
    accepted or decided answers under its export name (package_entries); the official form
    workbook (assessments.official_form) at the root; MANIFEST.csv and
    manifest.json listing every file (path, indicator, OPD, original name, SHA-256, size,
    document and upload dates) and every link. `progress(done, total)` is called after each
    file. `verification` ({code, url}) is written into manifest.json. Raises PackageError
    when a stored file is missing or differs from its upload hash.
    """
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    entries = package_entries(cycle)
    files = [entry for entry in entries if entry.revision is not None]
    total, copied = len(files), 0
    with zipfile.ZipFile(fileobj, "w", allowZip64=True) as archive:
        for done, entry in enumerate(files, 1):
            _sha, size = _copy_file(archive, entry, zone)
            copied += size
            if progress is not None:
                progress(done, total)
        form = official_form_xlsx(cycle)
        if form:
            name = f"Formulir-Evaluasi-SPBE-{cycle.year}.xlsx"
            archive.writestr(_zip_info(name, None, extension="xlsx"), form)
            entries.insert(
                0,
                PackageEntry(
                    path=name,
                    indicator="",
                    agency="",
                    kind="formulir",
                    title=_("Formulir evaluasi mandiri SPBE"),
                    original_name=name,
                    sha256=hashlib.sha256(form).hexdigest(),
                    size=len(form),
                ),
            )
        archive.writestr(_zip_info("MANIFEST.csv", None, extension="csv"), _manifest_csv(entries))
        archive.writestr(
            _zip_info("manifest.json", None, extension="json"),
            _manifest_json(cycle, entries, verification),
        )
    return PackageSummary(files=total, links=len(entries) - total - bool(form), bytes=copied)


def can_build_package(user, cycle):
    """The coordinator builds the package (SOP step 8 is theirs)."""
    return can_finalize(user, cycle)


def package_title(cycle):
    return f"Paket Data Dukung Evaluasi SPBE {cycle.institution.name} Tahun {cycle.year}"


def package_source(cycle):
    return f"evidence.package:{cycle.pk}"


def check_has_files(cycle):
    """Raise ValidationError when the package would hold no file."""
    if not any(entry.revision is not None for entry in package_entries(cycle)):
        raise ValidationError(
            _(
                "Belum ada berkas data dukung pada isian yang diterima atau diputuskan; paket "
                "data dukung belum dapat dibuat."
            ),
            code="empty",
        )


def build_evidence_package(cycle, *, by, job=None):
    """Build the cycle's evidence package and store it as the next version of the
    Document "evidence.package:<cycle pk>" (kind "evidence_package", format zip).

    The ZIP is written straight into its final storage place while it is hashed
    (documents.services.store_document_file), never held in memory nor copied twice.
    With a GenerationJob, its progress moves with the files copied ("Menyalin data dukung
    120 dari 800"). Side effects: the file, one Document row, audit "document.generated".
    Raises PermissionDenied, ValidationError (no file to package), PackageError.
    """
    if not can_build_package(by, cycle):
        raise PermissionDenied
    check_has_files(cycle)
    reporter = _JobReporter(job) if job is not None else None
    code = new_code()
    verification = {"kode": code, "tautan": verification_url(code)}
    with translation.override("id"):
        return store_document_file(
            institution=cycle.institution,
            cycle=cycle,
            kind=KIND,
            source=package_source(cycle),
            format="zip",
            title=package_title(cycle),
            by=by,
            code=code,
            write=lambda fileobj: write_evidence_package(
                cycle, fileobj, progress=reporter, verification=verification
            ),
        )


class _JobReporter:
    """Moves a GenerationJob's progress as files are copied, writing it only when the
    percentage changes (2,000 files → at most 100 writes)."""

    def __init__(self, job, *, start=5, end=95):
        self.job, self.start, self.end, self.last = job, start, end, None

    def __call__(self, done, total):
        percent = self.start + (self.end - self.start) * done // max(total, 1)
        if percent != self.last or done == total:
            self.last = percent
            update_job(
                self.job,
                progress=percent,
                step=_("Menyalin data dukung %(done)s dari %(total)s")
                % {"done": done, "total": total},
            )

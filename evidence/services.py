"""Every write to data dukung: a file or a link added (to an answer, even one not saved
yet), a new revision of a file, a title or date corrected, evidence attached to or detached
from an OPD's answer, last year's evidence reused.

Each function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction and writes an audit event. A stored file is
written before the transaction and deleted again if anything fails, so a refused or failed
upload leaves no row and no file. Stored files are never changed or deleted: a revision is
a new file, and reused evidence points to last year's file.
"""

import functools
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from audit.services import record_event
from cycles.models import Cycle
from cycles.queries import previous_cycle
from documents.formal import tanggal
from evidence import permissions
from evidence.models import Evidence, EvidenceRevision
from evidence.naming import letter_of, reference_pattern, reference_text
from evidence.queries import attached_ids
from evidence.uploads import clean_original_name, store_upload
from monev import plain
from submissions import permissions as submission_permissions
from submissions.models import Submission
from submissions.queries import answer_window

# The answers' own rule for who may create an answer (submissions.services.save_draft).
from submissions.services import _check_assigned as check_assigned

MAX_TITLE_LENGTH = Evidence._meta.get_field("title").max_length
MAX_URL_LENGTH = Evidence._meta.get_field("url").max_length


def _lock(model, pk):
    """Lock a row for the rest of the transaction (a no-op on SQLite, which locks the
    whole database on write). A plain statement (monev.plain): it runs on every upload."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    plain.fetch(
        f"SELECT {plain.column(model, 'id')} FROM {plain.table(model)} "
        f"WHERE {plain.column(model, 'id')} = %s{lock}",
        [pk],
    )


def _is_participant(cycle, agency):
    """Whether `agency` takes part in `cycle` (one plain statement: every upload asks)."""
    through = Cycle.agencies.through
    sql = (
        f"SELECT 1 FROM {plain.table(through)} WHERE {plain.column(through, 'cycle')} = %s "
        f"AND {plain.column(through, 'agency')} = %s"
    )
    return bool(plain.fetch(sql, [cycle.pk, agency.pk]))


def _check_may_add(by, cycle, agency, *, window=None):
    """`window`: the OPD's answering window (answer_window) when the caller has read it in
    this request already; it is read otherwise."""
    if not permissions.can_add_evidence(by, cycle, agency):
        raise PermissionDenied
    if not _is_participant(cycle, agency):
        raise ValidationError(_("OPD ini bukan peserta periode monev ini."), code="not_participant")
    window = window or answer_window(cycle, agency)
    if not window.is_open:
        refusal = window.refusal()  # the cycle closed, or the collection (step 4)
        if refusal is not None:
            raise refusal
        raise ValidationError(
            _(
                "Batas waktu pengisian OPD (%(deadline)s) sudah lewat; data dukung hanya dapat "
                "diubah bila koordinator membuka kembali isian OPD ini."
            )
            % {"deadline": tanggal(cycle.deadline)},
            code="locked",
        )


def _check_submission(submission, cycle, agency):
    if submission.cycle_id != cycle.pk or submission.agency_id != agency.pk:
        raise ValidationError(
            _("Data dukung dan isian harus milik OPD dan periode yang sama."), code="mismatch"
        )
    if not permissions.submission_accepts_evidence(submission):
        raise ValidationError(
            _("Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."),
            code="submission_closed",
        )


def _clean_title(title, *, default=""):
    title = " ".join((title or "").split()) or default
    if not title:
        raise ValidationError(_("Judul dokumen wajib diisi."), code="title_required")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(
            _("Judul dokumen paling panjang %(max)s karakter.") % {"max": MAX_TITLE_LENGTH},
            code="title_length",
        )
    return title


# A file named after the national convention ("36.a.SK-Kepegawaian.pdf", e.g. last year's
# export): its indicator and letter belong to the old place, and its hyphens were spaces.
NATIONAL_PREFIX = re.compile(r"^\d+\.[a-z]{1,3}\.(?=.)")


def default_title(file_name):
    """The title a file gets when none is typed: its name without the extension, with
    underscores as spaces ("SK_Tim  SPBE.pdf" → "SK Tim SPBE"); a national export name
    loses its prefix and its hyphens ("36.a.SK-Kepegawaian.pdf" → "SK Kepegawaian")."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name.strip(".") else file_name
    exported = NATIONAL_PREFIX.match(stem)
    if exported:
        stem = stem[exported.end() :].replace("-", " ")
    return " ".join(stem.replace("_", " ").split())[:MAX_TITLE_LENGTH]


def _revision_facts(revision):
    return {
        "revision": revision.number,
        "sha256": revision.sha256,
        "size": revision.size,
        "content_type": revision.content_type,
        "original_name": revision.original_name,
    }


def _new_revision(evidence, number, original_name, stored, by):
    """The stored file's revision row, inserted by a plain statement (monev.plain.insert:
    every upload writes one; no signals listen on these models)."""
    return plain.insert(
        EvidenceRevision(
            evidence=evidence,
            number=number,
            file=stored.name,
            original_name=original_name,
            content_type=stored.type.content_type,
            extension=stored.type.extension,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=by,
        )
    )


def add_file_evidence(
    cycle,
    agency,
    *,
    by,
    uploaded_file,
    title,
    document_date=None,
    submission=None,
    indicator=None,
    window=None,
):
    """Add an uploaded file as a new piece of the OPD's evidence in the cycle, optionally
    attached to one of its answers: `submission`, or the answer to `indicator`, which is
    created empty when the OPD has not saved it yet (see answer_for_evidence). An empty
    title takes the file's name without extension (default_title).

    The file is checked by its content and streamed into storage as
    `evidence/<cycle pk>/<uuid>.<ext>` (see uploads.store_upload). The same content again
    on the same answer (a double click, a retried upload: the SHA-256 of a piece the answer
    already has) adds nothing: the new copy is deleted and the piece there is returned.
    Side effects: an Evidence row and its revision 1 (SHA-256, size, uploader); the
    attachment to the answer; audit "evidence.added" (and "submission.draft_created" for a
    new answer). Returns the Evidence. `window`: the OPD's answering window when the
    caller read it in this request already (its queries are saved).
    """
    _check_may_add(by, cycle, agency, window=window)
    if indicator is not None:
        _check_may_answer(by, cycle, indicator, agency)
    if submission is not None:
        _check_submission(submission, cycle, agency)
    original_name = clean_original_name(getattr(uploaded_file, "name", ""))
    title = _clean_title(title, default=default_title(original_name))
    stored = store_upload(uploaded_file, directory=f"evidence/{cycle.pk}")
    try:
        with transaction.atomic():
            if indicator is not None:  # the answer, read locked
                submission = answer_for_evidence(cycle, indicator, agency, by=by)
            elif submission is not None:
                # Lock the answer: the same upload twice at once finds the first one.
                _lock(Submission, submission.pk)
            done = _same_file(submission, stored.sha256) if submission is not None else None
            if done is not None:
                stored.delete()
                return done
            evidence = plain.insert(
                Evidence(
                    cycle=cycle,
                    agency=agency,
                    kind=Evidence.Kind.FILE,
                    title=title,
                    document_date=document_date,
                    created_by=by,
                )
            )
            revision = _new_revision(evidence, 1, original_name, stored, by)
            _record_added(evidence, submission, by=by, **_revision_facts(revision))
    except BaseException:
        stored.delete()
        raise
    return evidence


def _check_may_answer(by, cycle, indicator, agency):
    """Creating the answer is the answers' own rule: an operator of the OPD, the indicator
    assigned to it (the window is the same as the evidence's, see _check_may_add)."""
    if not submission_permissions.can_answer(by, cycle, agency):
        raise PermissionDenied
    check_assigned(cycle, indicator, agency)


def answer_for_evidence(cycle, indicator, agency, *, by):
    """The OPD's answer to `indicator`, locked, for evidence added before the answer was
    saved: created empty (draft, version 0) when missing, so that the open form's next
    autosave, which sends version 0, is no conflict. Call inside the caller's transaction,
    after _check_may_answer. Two requests creating it at once both end up with the one row
    (the unique constraint decides, the loser reads the winner's). An answer already
    submitted or accepted is refused like any other (_check_submission).

    Side effects: the Submission row and audit "submission.draft_created" when created.
    """
    where = {"cycle": cycle, "indicator": indicator, "agency": agency}
    # Unordered (one row): the default ordering would join, and lock, other tables' rows.
    submission = Submission.objects.select_for_update().filter(**where).order_by("pk").first()
    if submission is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent creation wins cleanly
                submission = Submission.objects.create(**where, version=0, updated_by=by)
        except IntegrityError:
            submission = Submission.objects.select_for_update().get(**where)
        else:
            record_event(
                "submission.draft_created",
                by=by,
                institution=cycle.institution,
                target=submission,
                after={"status": submission.status, "version": 0, "reason": "evidence"},
            )
    # The caller's objects, so its later reads (the panel, the audit) need no query.
    submission.cycle, submission.agency, submission.indicator = cycle, agency, indicator
    _check_submission(submission, cycle, agency)
    return submission


@functools.cache
def _same_file_sql():
    attached, revision = Submission.evidence.through, EvidenceRevision
    latest = (
        f"SELECT MAX(l.{plain.column(revision, 'number')}) FROM {plain.table(revision)} l "
        f"WHERE l.{plain.column(revision, 'evidence')} = e.{plain.column(Evidence, 'id')}"
    )
    return (
        f"{plain.select((Evidence, 'e'))}"
        f"{plain.join(attached, 'a', plain.column(Evidence, 'id', 'e'), field='evidence')}"
        f"{plain.join(revision, 'r', plain.column(Evidence, 'id', 'e'), field='evidence')}"
        f"WHERE {plain.column(attached, 'submission', 'a')} = %s "
        f"AND {plain.column(Evidence, 'kind', 'e')} = %s "
        f"AND {plain.column(revision, 'sha256', 'r')} = %s "
        f"AND {plain.column(revision, 'number', 'r')} = ({latest}) "
        f"ORDER BY {plain.column(Evidence, 'id', 'e')}"
    )


def _same_file(submission, sha256):
    """The file evidence of `submission` whose latest revision has this content, or None
    (one plain statement: every upload asks)."""
    rows = plain.fetch(_same_file_sql(), [submission.pk, Evidence.Kind.FILE, sha256])
    return plain.instance(Evidence, rows[0]) if rows else None


def add_revision(evidence, *, by, uploaded_file):
    """Upload a new version of a file evidence; the older revisions and their files stay.

    Refused while the evidence supports an answer that is submitted or accepted (the
    reviewer judges the files as they were). Side effects: an EvidenceRevision numbered
    one past the last; audit "evidence.revised" with the previous and new hash. Returns the
    new revision. The same content as the latest revision again (a double click, a retry) is
    no new revision: the latest is returned and the extra stored copy deleted.
    """
    cycle, agency = evidence.cycle, evidence.agency
    _check_may_add(by, cycle, agency)
    if evidence.kind != Evidence.Kind.FILE:
        raise ValidationError(_("Tautan tidak memiliki revisi berkas."), code="link")
    _check_not_judged(evidence)
    original_name = clean_original_name(getattr(uploaded_file, "name", ""))
    stored = store_upload(uploaded_file, directory=f"evidence/{cycle.pk}")
    try:
        with transaction.atomic():
            # Lock the evidence so two uploads at once get consecutive numbers.
            _lock(Evidence, evidence.pk)
            previous = evidence.revisions.order_by("-number").first()
            if previous is not None and previous.sha256 == stored.sha256:
                stored.delete()
                return previous
            number = previous.number + 1 if previous else 1
            revision = _new_revision(evidence, number, original_name, stored, by)
            record_event(
                "evidence.revised",
                by=by,
                institution=cycle.institution,
                target=evidence,
                before=_revision_facts(previous) if previous else None,
                after=_revision_facts(revision),
            )
    except IntegrityError:
        stored.delete()
        raise ValidationError(
            _("Revisi lain sedang diunggah bersamaan; coba lagi."), code="concurrent"
        ) from None
    except BaseException:
        stored.delete()
        raise
    return revision


def edit_evidence(evidence, *, by, title, document_date):
    """Correct a piece of evidence's title and document date (an upload's title defaults to
    its file name, its date is optional). The same rules as a new revision: the OPD's
    window, and not while it supports an answer submitted or accepted. Saving the values it
    has changes nothing.

    Side effects: the Evidence row; audit "evidence.edited" with the old and new values.
    Returns True when something changed.
    """
    cycle, agency = evidence.cycle, evidence.agency
    _check_may_add(by, cycle, agency)
    if evidence.submissions.exclude(status__in=permissions.EDITABLE_SUBMISSION_STATUSES).exists():
        raise ValidationError(
            _("Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."),
            code="submission_closed",
        )
    title = _clean_title(title)
    with transaction.atomic():
        fresh = Evidence.objects.select_for_update().get(pk=evidence.pk)
        old = {"title": fresh.title, "document_date": fresh.document_date}
        new = {"title": title, "document_date": document_date}
        if old == new:
            return False
        Evidence.objects.filter(pk=evidence.pk).update(**new)
        evidence.title, evidence.document_date = title, document_date
        record_event(
            "evidence.edited",
            by=by,
            institution=cycle.institution,
            target=evidence,
            before=_dated(old),
            after=_dated(new),
        )
    return True


def _dated(values):
    date = values["document_date"]
    return {**values, "document_date": date.isoformat() if date else None}


def _check_not_judged(evidence):
    """A new revision would change what a reviewer judges (or has judged)."""
    if evidence.submissions.exclude(status__in=permissions.EDITABLE_SUBMISSION_STATUSES).exists():
        raise ValidationError(
            _(
                "Data dukung ini mendukung isian yang sudah diajukan atau diterima; unggah "
                "sebagai data dukung baru."
            ),
            code="submission_closed",
        )


def clean_url(url):
    """An http(s) address, trimmed; anything else (javascript:, file:, ftp:, …) is refused."""
    url = (url or "").strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise ValidationError(_("Tautan harus diawali http:// atau https://."), code="url_scheme")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            _("Tautan paling panjang %(max)s karakter.") % {"max": MAX_URL_LENGTH},
            code="url_length",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("Tautan tidak valid."), code="url_invalid") from None
    return url


def add_link_evidence(
    cycle,
    agency,
    *,
    by,
    url,
    title,
    document_date=None,
    submission=None,
    indicator=None,
    window=None,
):
    """Add a link (an http/https address, e.g. a published regulation or an application)
    as a piece of the OPD's evidence, optionally attached to one of its answers:
    `submission`, or the answer to `indicator`, created empty when missing (see
    answer_for_evidence).

    The same address again on the same answer (a double click, a retry) adds nothing: the
    link there is returned. Side effects: an Evidence row of kind "link"; the attachment to
    the answer; audit "evidence.added" (and "submission.draft_created" for a new answer).
    Returns the Evidence. `window`: as for add_file_evidence.
    """
    _check_may_add(by, cycle, agency, window=window)
    if indicator is not None:
        _check_may_answer(by, cycle, indicator, agency)
    if submission is not None:
        _check_submission(submission, cycle, agency)
    url = clean_url(url)
    title = _clean_title(title)
    with transaction.atomic():
        if indicator is not None:  # the answer, read locked
            submission = answer_for_evidence(cycle, indicator, agency, by=by)
        elif submission is not None:
            # Lock the answer: the same link twice at once finds the first one.
            _lock(Submission, submission.pk)
        if submission is not None:
            done = submission.evidence.filter(kind=Evidence.Kind.LINK, url=url).first()
            if done is not None:
                return done
        evidence = Evidence.objects.create(
            cycle=cycle,
            agency=agency,
            kind=Evidence.Kind.LINK,
            title=title,
            url=url,
            document_date=document_date,
            created_by=by,
        )
        _record_added(evidence, submission, by=by, url=url)
    return evidence


def _record_added(evidence, submission, *, by, **facts):
    """Attach new evidence to its submission, if any, and write "evidence.added"."""
    if submission is not None:  # a new piece: no attachment to find first
        attached = Submission.evidence.through
        plain.insert(attached(submission_id=submission.pk, evidence_id=evidence.pk))
    date = evidence.document_date
    record_event(
        "evidence.added",
        by=by,
        institution=evidence.cycle.institution,
        target=evidence,
        after={
            "kind": evidence.kind,
            "title": evidence.title,
            "agency": evidence.agency_id,
            "document_date": date.isoformat() if date else None,
            "submission": submission.pk if submission is not None else None,
            **facts,
        },
    )


def _check_attachable(submission, evidence, by):
    _check_may_add(by, submission.cycle, submission.agency)
    if evidence.cycle_id != submission.cycle_id or evidence.agency_id != submission.agency_id:
        raise ValidationError(
            _("Data dukung dan isian harus milik OPD dan periode yang sama."), code="mismatch"
        )
    if not permissions.submission_accepts_evidence(submission):
        raise ValidationError(
            _("Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya."),
            code="submission_closed",
        )


def attach_evidence(submission, evidence, *, by):
    """Let an existing piece of the OPD's evidence support one more of its answers (one file
    can support several indicators). Attaching it twice changes nothing.

    Side effects: the attachment; audit "evidence.attached" on the submission.
    Returns True when it was attached now, False when it already was.
    """
    _check_attachable(submission, evidence, by)
    with transaction.atomic():
        _lock(Submission, submission.pk)
        if submission.evidence.filter(pk=evidence.pk).exists():
            return False
        submission.evidence.add(evidence)
        record_event(
            "evidence.attached",
            by=by,
            institution=submission.cycle.institution,
            target=submission,
            after={"evidence": evidence.pk, "title": evidence.title},
        )
    return True


@dataclass(frozen=True)
class Detachment:
    """What detaching changed in the answer's text: {old citation: its replacement} for
    the citations rewritten (empty when the text cites none), and the answer's version."""

    references: dict
    version: int


def detach_evidence(submission, evidence, *, by):
    """Stop a piece of evidence supporting an answer; the evidence itself and its files stay
    (it may support other answers or be attached again). Detaching it twice changes nothing.

    The letters after it move up one ("c" becomes "b"), so the answer's FAKTA and ANALISIS
    are rewritten to match (rewrite_references): its own citations become “<title>”
    (dilepas). When the text changed, the answer's version goes up by one, and `submission`
    holds the new text and version.

    Side effects: the attachment removed; the answer's text and version when it cited the
    moved letters; audit "evidence.detached" on the submission (with the rewritten
    citations). Returns a Detachment, or None when it was not attached.
    """
    _check_attachable(submission, evidence, by)
    with transaction.atomic():
        fresh = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.fakta, submission.analisis = fresh.fakta, fresh.analisis
        submission.version = fresh.version
        ordered = attached_ids(submission)
        if evidence.pk not in ordered:
            return None
        submission.evidence.remove(evidence)
        number = submission.indicator.number
        fakta, analisis, references = rewrite_references(
            number,
            ordered.index(evidence.pk),
            len(ordered),
            evidence.title,
            submission.fakta,
            submission.analisis,
        )
        before = {"evidence": evidence.pk, "title": evidence.title}
        after = None
        if references:
            Submission.objects.filter(pk=submission.pk).update(
                fakta=fakta, analisis=analisis, version=F("version") + 1
            )
            before["version"] = submission.version
            submission.fakta, submission.analisis = fakta, analisis
            submission.version += 1
            after = {"version": submission.version, "references": references}
        record_event(
            "evidence.detached",
            by=by,
            institution=submission.cycle.institution,
            target=submission,
            before=before,
            after=after,
        )
    return Detachment(references=references, version=submission.version)


def rewrite_references(indicator_number, removed, count, title, *texts):
    """The texts with the citations of an indicator's data dukung renumbered after the item
    at index `removed` (of `count`) left: its own citations become “<title>” (dilepas), the
    later ones move up a letter, others stay. Returns (*texts, {old: new} as applied)."""
    moved = {letter_of(index): index - 1 for index in range(removed + 1, count)}
    gone = letter_of(removed)
    applied = {}

    def replace(match):
        letter = match.group(1)
        if letter == gone:
            new = f"“{title}” (dilepas)"
        elif letter in moved:
            new = reference_text(indicator_number, moved[letter])
        else:
            return match.group(0)
        applied[match.group(0)] = new
        return new

    pattern = reference_pattern(indicator_number)
    return (*(pattern.sub(replace, text) for text in texts), applied)


def reuse_previous_evidence(cycle, agency, *, by, evidence_ids):
    """Bring the OPD's chosen evidence of the previous cycle into this one in one action.

    The previous cycle is the one this cycle was copied from, else the institution's cycle
    of the year before. Each chosen piece becomes a new Evidence with `reused_from` set; a
    file's latest revision becomes its revision 1, pointing to the same stored file with
    the same SHA-256 (no bytes are copied). Pieces already reused into this cycle are
    skipped. Side effects: the rows; one audit "evidence.reused" on the cycle. Returns the
    new Evidence rows.
    """
    _check_may_add(by, cycle, agency)
    try:
        wanted = {int(pk) for pk in evidence_ids}
    except (TypeError, ValueError):
        raise ValidationError(
            _("Data dukung yang dipilih bukan milik OPD ini pada periode sebelumnya."),
            code="not_previous",
        ) from None
    if not wanted:
        raise ValidationError(_("Pilih setidaknya satu data dukung."), code="none_chosen")
    source = previous_cycle(cycle)
    if source is None:
        raise ValidationError(_("Tidak ada periode monev sebelumnya."), code="no_previous")
    chosen = list(
        Evidence.objects.filter(pk__in=wanted, cycle=source, agency=agency)
        .prefetch_related("revisions")
        .order_by("pk")
    )
    if len(chosen) != len(wanted):
        raise ValidationError(
            _("Data dukung yang dipilih bukan milik OPD ini pada periode sebelumnya."),
            code="not_previous",
        )
    already_reused = ValidationError(
        _("Data dukung yang dipilih sudah dipakai ulang pada periode ini."),
        code="already_reused",
    )
    try:
        with transaction.atomic():
            done = set(
                Evidence.objects.filter(
                    cycle=cycle, agency=agency, reused_from__in=wanted
                ).values_list("reused_from", flat=True)
            )
            chosen = [old for old in chosen if old.pk not in done]
            if not chosen:
                raise already_reused
            created = [_reuse_one(old, cycle, agency, by) for old in chosen]
            record_event(
                "evidence.reused",
                by=by,
                institution=cycle.institution,
                target=cycle,
                after={
                    "agency": agency.pk,
                    "from_cycle": source.pk,
                    "evidence": {str(new.reused_from_id): new.pk for new in created},
                },
            )
    except IntegrityError:  # the same pieces reused by a concurrent request a moment ago
        raise already_reused from None
    return created


def _reuse_one(old, cycle, agency, by):
    new = Evidence.objects.create(
        cycle=cycle,
        agency=agency,
        kind=old.kind,
        title=old.title,
        url=old.url,
        document_date=old.document_date,
        reused_from=old,
        created_by=by,
    )
    latest = max(old.revisions.all(), key=lambda revision: revision.number, default=None)
    if latest is not None:
        EvidenceRevision.objects.create(
            evidence=new,
            number=1,
            file=latest.file.name,
            original_name=latest.original_name,
            content_type=latest.content_type,
            extension=latest.extension,
            size=latest.size,
            sha256=latest.sha256,
            uploaded_by=by,
        )
    return new

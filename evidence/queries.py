"""Reads of data dukung reused by views and other apps: the evidence panel of an OPD's
answer, last year's evidence to reuse, and the export name of a downloaded file."""

import functools
import html
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cycles.models import Cycle
from cycles.queries import previous_cycle
from documents.formal import long_date
from evidence import permissions
from evidence.models import Evidence, EvidenceRevision
from evidence.naming import export_name, letter_of, plain_name, reference_text
from evidence.uploads import INLINE_CONTENT_TYPES, size_label
from evidence.validity import validity_warnings
from monev import plain
from submissions.models import Submission
from submissions.permissions import can_answer

# What the file picker offers; the content decides in the end (see uploads.detect_type).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt,.ods"
Attachment = Submission.evidence.through


def attached_ids(submission):
    """The ids of the evidence attached to an answer, in the order they were attached (which
    gives their letters a, b, c … in the export names)."""
    return list(
        Attachment.objects.filter(submission_id=submission.pk)
        .order_by("pk")
        .values_list("evidence_id", flat=True)
    )


@dataclass
class PanelItem:
    evidence: Evidence
    letter: str
    reference: str  # how the answer's text cites it: "Dokumen 36.b"
    revisions: list  # newest first
    warnings: list
    download_name: str
    detach_url: str
    revision_url: str
    edit_url: str

    # What the template shows, made here once (a template tag per value costs more):
    key: str = ""  # the evidence's pk, in the element ids
    position: int = 0  # its place among the answer's attachments (0 for the letter a)
    preview_url: str = ""  # the latest revision in a browser tab; "" when not previewable
    download_url: str = ""  # the latest revision as a download
    revisions_label: str = ""  # "2 revisi"
    revision_file_label: str = ""  # the label of the new revision's file input

    @property
    def latest(self):
        return self.revisions[0] if self.revisions else None

    @property
    def revision_count(self):
        return len(self.revisions)

    @property
    def previewable(self):
        """The latest revision can be shown in a browser tab (PDF, JPEG, PNG)."""
        return self.latest is not None and self.latest.content_type in INLINE_CONTENT_TYPES


@dataclass(frozen=True)
class Attachable:
    """Evidence of the OPD and cycle not attached to the answer: an option of the attach menu."""

    pk: int
    title: str
    document_date: object  # datetime.date or None


@dataclass
class EvidencePanel:
    """What `evidence/_panel.html` shows for one answer (see evidence_panel), or for an
    answer not saved yet (answer_panel: `submission` None, no items, and upload and link
    URLs that create the answer)."""

    cycle: Cycle
    indicator: object  # frameworks.Node
    submission: Submission | None
    items: list  # PanelItem, in attachment order
    attachable: list  # Attachable: the same OPD's evidence of the cycle not attached yet
    can_edit: bool
    locked: bool
    upload_url: str
    link_url: str
    attach_url: str  # "" before the answer exists
    reuse_url: str
    max_size: str
    accept: str = ACCEPT
    # Filled by the views after an action: its outcome and the values to show again.
    error: str = ""
    success: str = ""
    values: dict = field(default_factory=dict)
    return_url: str = ""

    @property
    def attach_options(self):
        """The attach menu's <option>s, "SK Tim (2 Januari 2025)", as one piece of HTML: an
        OPD of a city has hundreds, and a template loop (or format_html) per option cost
        more than the rest of the panel. Titles are escaped as Django escapes (html.escape
        with quotes); each date is written once."""
        dates = {}
        options = []
        for evidence in self.attachable:
            label = evidence.title
            if evidence.document_date:
                day = evidence.document_date
                written = dates.get(day) or dates.setdefault(day, long_date(day))
                label = f"{label} ({written})"
            options.append(f'<option value="{int(evidence.pk)}">{html.escape(label)}</option>')
        return mark_safe("".join(options))  # every value escaped above

    @property
    def key(self):
        """What the panel's element ids are made of: the answer, else its indicator."""
        return str(self.submission.pk) if self.submission else f"indikator-{self.indicator.pk}"


def _url_of(name, *args):
    """reverse(name, args=[*args, pk]) as a function of pk, with one reverse() for all the
    panel's items (their URLs end with the pk's segment, "…/<pk>/" or "…/<pk>/lihat/")."""
    head, _zero, tail = reverse(name, args=[*args, 0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def evidence_panel(submission, user, *, window=None, only=None):
    """The evidence panel of an answer for `user`, in a fixed number of queries whatever
    the number of evidence rows: the OPD's evidence of the cycle with the answer's
    attachments, the attached evidence's revisions, the answering window unless given
    (`window`: submissions.queries.Window), plus, once per request, the user's roles, and
    the submission's cycle, institution, OPD and indicator when not selected with it.

    Each attached item carries its revisions (newest first), its validity warnings for the
    proposed level, its export name and its form URLs. `only`: the pks of the attached
    evidence to make items of (an upload's answer to the panel's script, the new rows:
    each item still lettered by its place among all the attachments); the attach menu is
    then left empty and not read.
    """
    cycle, agency, indicator = submission.cycle, submission.agency, submission.indicator
    can_add = permissions.can_add_evidence(user, cycle, agency)
    locked = can_add and permissions.evidence_locked(cycle, agency, window=window)
    can_edit = can_add and not locked and permissions.submission_accepts_evidence(submission)

    # The attachment's id gives the order the evidence was attached in. Read first, as a
    # list: "this OPD's evidence of the cycle OR attached" then uses the indexes (with the
    # attachment as a subquery, PostgreSQL scanned every institution's evidence).
    attachments = dict(plain.fetch(_attachments_sql(), [submission.pk]))
    # The evidence pks in the order they were attached, and their letters' indexes.
    position = {pk: index for index, pk in enumerate(sorted(attachments, key=attachments.get))}
    shown = list(attachments) if only is None else [pk for pk in only if pk in attachments]
    pool, attachable = [], []
    if only is None:
        rows = plain.fetch(_pool_sql(len(shown)), [*shown, cycle.pk, agency.pk, *shown])
    else:
        rows = plain.fetch(_pool_sql(len(shown), menu=False), shown) if shown else []
    for row in rows:
        if row[-1]:
            pool.append(plain.instance(Evidence, row))
        else:  # only the attach menu shows it: its pk, title and date
            date = plain.value(Evidence, "document_date", row[DATE_INDEX])
            attachable.append(Attachable(row[PK_INDEX], row[TITLE_INDEX], date))
    for evidence in pool:
        if evidence.cycle_id == cycle.pk:
            evidence.cycle = cycle  # the validity rules read it: no join for the rows we have
    # Evidence of another cycle attached (none is, as the services refuse it): one query.
    prefetch_related_objects([e for e in pool if e.cycle_id != cycle.pk], "cycle")
    ordered_ids = sorted((evidence.pk for evidence in pool), key=position.get)
    revisions = defaultdict(list)
    if ordered_ids:
        for row in plain.fetch(_revisions_sql(len(ordered_ids)), ordered_ids):
            revision = plain.instance(EvidenceRevision, row)
            revisions[revision.evidence_id].append(revision)

    by_id = {evidence.pk: evidence for evidence in pool}
    detach_url = _url_of("evidence_detach", submission.pk)
    revision_url = _url_of("evidence_revision", submission.pk)
    edit_url = _url_of("evidence_edit", submission.pk)
    # A file opened from the answer, which names it (see download_name).
    opened_from = f"?isian={submission.pk}"
    download_url, preview_url = _url_of("evidence_download"), _url_of("evidence_preview")
    items = []
    for pk in ordered_ids:
        evidence, index = by_id[pk], position[pk]
        own_revisions = revisions[pk]
        latest = own_revisions[0] if own_revisions else None
        for revision in own_revisions:
            revision.download_url = download_url(revision.pk) + opened_from
            revision.label = _("Revisi %(number)s") % {"number": revision.number}
        item = PanelItem(
            evidence=evidence,
            letter=letter_of(index),
            reference=reference_text(indicator.number, index),
            revisions=own_revisions,
            warnings=validity_warnings(evidence, level=submission.level, indicator=indicator),
            download_name=export_name(indicator.number, index, evidence.title, latest.extension)
            if latest
            else "",
            detach_url=detach_url(pk),
            revision_url=revision_url(pk),
            edit_url=edit_url(pk),
            key=str(pk),
            position=index,
            download_url=latest.download_url if latest else "",
            revisions_label=ngettext("%(counter)s revisi", "%(counter)s revisi", len(own_revisions))
            % {"counter": len(own_revisions)},
            revision_file_label=_("Berkas revisi “%(title)s”") % {"title": evidence.title},
        )
        if item.previewable:
            item.preview_url = preview_url(latest.pk) + opened_from
        items.append(item)
    return EvidencePanel(
        cycle=cycle,
        indicator=indicator,
        submission=submission,
        items=items,
        attachable=attachable,
        can_edit=can_edit,
        locked=locked,
        upload_url=reverse("evidence_upload", args=[submission.pk]),
        link_url=reverse("evidence_link", args=[submission.pk]),
        attach_url=reverse("evidence_attach", args=[submission.pk]),
        reuse_url=reverse("evidence_reuse", args=[cycle.pk, agency.pk]),
        max_size=size_label(settings.EVIDENCE_MAX_BYTES),
    )


# The panel is on every indicator page and is the answer to every upload: its three reads
# are plain statements (monev.plain), as the ORM's cost more to build than to run.


@functools.cache
def _attachments_sql():
    evidence, answer = (plain.column(Attachment, name) for name in ("evidence", "submission"))
    return (
        f"SELECT {evidence}, {plain.column(Attachment, 'id')} FROM {plain.table(Attachment)} "
        f"WHERE {answer} = %s"
    )


# The attach menu's columns in the pool's rows (see _pool_sql).
_ATTNAMES = [field.attname for field in Evidence._meta.concrete_fields]
PK_INDEX, TITLE_INDEX, DATE_INDEX = (_ATTNAMES.index(n) for n in ("id", "title", "document_date"))


@functools.cache
def _pool_sql(attached, *, menu=True):
    """The `attached` evidence (by pk) of the answer, whole, then the OPD's other evidence
    of the cycle with the attach menu's columns only (the others NULL): an OPD of a city
    has hundreds, and whole model instances of them cost more than the rest of the panel.
    The last column says which is which. Without the `menu`: the attached evidence only."""
    own = (
        f"{plain.column(Evidence, 'cycle', 'e')} = %s "
        f"AND {plain.column(Evidence, 'agency', 'e')} = %s"
    )
    columns = ", ".join(
        f"e.{plain.quote(field.column)}"
        if field.attname in ("id", "title", "document_date")
        else "NULL"  # typed by the UNION's first statement, the whole rows
        for field in Evidence._meta.concrete_fields
    )
    light = f"SELECT {columns}, 0 FROM {plain.table(Evidence)} e WHERE {own}"
    # The menu by title (the attached are put in their attachment's order afterwards).
    order = f" ORDER BY {TITLE_INDEX + 1}, {PK_INDEX + 1}"
    if not attached:
        return light + order
    ids = f"{plain.column(Evidence, 'id', 'e')} IN ({plain.placeholders(attached)})"
    whole = (
        f"SELECT {plain.select_list(Evidence, 'e')}, 1 FROM {plain.table(Evidence)} e WHERE {ids}"
    )
    return f"{whole} UNION ALL {light} AND NOT ({ids}){order}" if menu else whole


@functools.cache
def _revisions_sql(count):
    evidence = plain.column(EvidenceRevision, "evidence", "r")
    return (
        f"SELECT {plain.select_list(EvidenceRevision, 'r')} FROM {plain.table(EvidenceRevision)} r "
        f"WHERE {evidence} IN ({plain.placeholders(count)}) "
        f"ORDER BY {evidence}, {plain.column(EvidenceRevision, 'number', 'r')} DESC"
    )


def download_name(revision, submission=None):
    """The name a downloaded file gets: the national export name for the answer it is
    downloaded from (else the first answer it supports), e.g. "36.a.SK-Kepegawaian.pdf";
    an older revision says so ("36.a.SK-Kepegawaian-revisi-1.pdf"); evidence supporting no
    answer yet is named after its title only."""
    evidence = revision.evidence
    title = evidence.title
    if evidence.revisions.filter(number__gt=revision.number).exists():
        title = f"{title} revisi {revision.number}"
    if submission is None:
        submission = (
            Submission.objects.filter(evidence=evidence)
            .select_related("indicator")
            .order_by("indicator__position", "pk")
            .first()
        )
    if submission is None:
        return plain_name(title, revision.extension)
    index = attached_ids(submission).index(evidence.pk)
    return export_name(submission.indicator.number, index, title, revision.extension)


@dataclass
class ReusableItem:
    evidence: Evidence
    latest: EvidenceRevision | None
    reused: bool  # already brought into the current cycle


def reusable_evidence(cycle, agency):
    """(previous cycle, [ReusableItem]) — the OPD's evidence of the previous cycle, each with
    its latest revision and whether it was already reused into `cycle`; (None, []) when
    there is no previous cycle."""
    source = previous_cycle(cycle)
    if source is None:
        return None, []
    evidence = list(
        Evidence.objects.filter(cycle=source, agency=agency).prefetch_related("revisions")
    )
    reused = set(
        Evidence.objects.filter(cycle=cycle, agency=agency, reused_from__isnull=False).values_list(
            "reused_from_id", flat=True
        )
    )
    items = [
        ReusableItem(
            evidence=item,
            latest=max(item.revisions.all(), key=lambda r: r.number, default=None),
            reused=item.pk in reused,
        )
        for item in evidence
    ]
    return source, items


def answer_panel(cycle, agency, indicator, submission, user, *, window=None):
    """The data dukung panel of the OPD's answer to one indicator, for the indicator page.
    Before the answer exists its upload and link forms post to the answer-scoped URLs,
    which create the answer with the first file (services.answer_for_evidence): only an
    operator who may answer can use them. A fixed number of queries (the user's roles and
    the answering window unless given: `window`, submissions.queries.Window)."""
    if submission is not None:
        # The answer's own rows are the ones given: no query to read them again.
        submission.cycle, submission.agency, submission.indicator = cycle, agency, indicator
        return evidence_panel(submission, user, window=window)
    locked = permissions.evidence_locked(cycle, agency, window=window)
    args = [cycle.pk, agency.pk, indicator.pk]
    return EvidencePanel(
        cycle=cycle,
        indicator=indicator,
        submission=None,
        items=[],
        attachable=[],
        can_edit=can_answer(user, cycle, agency) and not locked,
        locked=locked and permissions.can_add_evidence(user, cycle, agency),
        upload_url=reverse("evidence_answer_upload", args=args),
        link_url=reverse("evidence_answer_link", args=args),
        attach_url="",
        reuse_url=reverse("evidence_reuse", args=[cycle.pk, agency.pk]),
        max_size=size_label(settings.EVIDENCE_MAX_BYTES),
    )

"""The official form (SOP step 7): the hasil evaluasi mandiri as the national evaluation
application asks for it — one row per indicator in the framework's order with the agreed
level, the penjelasan (FAKTA and ANALISIS) and the data dukung under their national export
names with their SHA-256 — as XLSX (to fill the national form from) and PDF (to file), each
stored as a versioned, verifiable Document.

A form made from a result that is not final says DRAF in its header; a final one does not.
Official documents are Indonesian whatever the language of the person generating them.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from assessments import permissions
from assessments.models import Decision
from assessments.queries import PROPOSED, find_assessment, live_result
from documents.formal import tanggal
from documents.services import generate_pdf, store_document
from evidence.models import Evidence, EvidenceRevision
from evidence.naming import export_name
from frameworks.models import kind_label
from frameworks.scoring import plain, rounded
from monev.exports import neutralize_workbook
from monev.xlsx import fit_label_columns, fit_row_heights, print_setup, set_widths
from submissions.models import Submission

FORMATS = ("xlsx", "pdf")
KIND = "official_form"
TEMPLATE = "assessments/official_form.html"
SHORT_HASH = 12
# Excel keeps at most 32,767 characters in a cell.
MAX_CELL = 32_767


def form_source(cycle):
    return f"assessments.cycle:{cycle.pk}:official_form"


def form_title(cycle):
    return f"Formulir Evaluasi Mandiri SPBE {cycle.year}"


@dataclass(frozen=True)
class FormEvidence:
    """One piece of data dukung as the form lists it: the national export name of its newest
    file ("36.a.SK-Kepegawaian.pdf") and its SHA-256, or a link's title and address."""

    name: str
    sha256: str = ""
    url: str = ""

    @property
    def short_hash(self):
        return self.sha256[:SHORT_HASH]

    @property
    def text(self):
        if self.url:
            return f"{self.name} ({self.url})"
        return f"{self.name} (SHA-256 {self.short_hash})" if self.sha256 else self.name


@dataclass(frozen=True)
class FormRow:
    indicator: object  # the engine's NodeSpec
    ancestors: tuple  # the nodes above it, top first (SPBE: the domain, the aspect)
    level: int | None
    fakta: str
    analisis: str
    evidence: tuple

    @property
    def number(self):
        return self.indicator.number

    @property
    def domain(self):
        return self.ancestors[0] if len(self.ancestors) > 1 else None

    @property
    def aspect(self):
        return self.ancestors[-1] if self.ancestors else None

    @property
    def penjelasan(self):
        """FAKTA then ANALISIS, each under its heading; "" when neither was written."""
        parts = []
        if self.fakta:
            parts.append(f"FAKTA:\n{self.fakta}")
        if self.analisis:
            parts.append(f"ANALISIS:\n{self.analisis}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class OfficialForm:
    cycle: object
    assessment: object = field(repr=False)
    result: object = field(repr=False)  # queries.LiveResult
    is_final: bool
    rows: tuple

    @property
    def institution(self):
        return self.cycle.institution

    @property
    def framework(self):
        return self.cycle.framework

    @property
    def group_kinds(self):
        """The kinds above the indicators, top first (SPBE: domain, aspect)."""
        return [kind for kind in self.result.spec.kinds if kind not in self._indicator_kinds]

    @property
    def _indicator_kinds(self):
        return {node.kind for node in self.result.spec.indicators}

    @property
    def status_text(self):
        if self.is_final:
            finalized = self.assessment.finalized_at
            return f"Final (difinalkan {tanggal(finalized, time_zone=self.institution.time_zone)})"
        return "DRAF (hasil evaluasi mandiri belum final)"


def _evidence_items(indicator, pieces, revisions):
    items = []
    for evidence in pieces:
        if evidence.kind == Evidence.Kind.LINK:
            items.append(FormEvidence(name=evidence.title, url=evidence.url))
            continue
        latest = revisions.get(evidence.pk)
        if latest is None:
            items.append(FormEvidence(name=evidence.title))
            continue
        items.append(
            FormEvidence(
                name=export_name(indicator.number, len(items), evidence.title, latest.extension),
                sha256=latest.sha256,
            )
        )
    return tuple(items)


def official_form(cycle):
    """The form of `cycle`'s result (OfficialForm), in six queries whatever the number of
    indicators and files: the assessment, the framework tree, the agreed levels, the data
    dukung the team cited, the data dukung of the OPDs' answers and the newest revisions.

    An indicator's data dukung are those the team cited with its decision; when it cited
    none, those attached to the OPDs' answers handed in for it (by OPD name, then in the
    order they were attached). Their letters a, b, c … follow that order."""
    assessment = find_assessment(cycle)
    result = live_result(assessment)
    decisions = result.decisions
    by_decision = {decision.pk: code for code, decision in decisions.items()}
    cited = {}
    if assessment.pk is not None:
        for link in (
            Decision.evidence.through.objects.filter(decision__assessment=assessment)
            .select_related("evidence")
            .order_by("pk")
        ):
            cited.setdefault(by_decision[link.decision_id], []).append(link.evidence)
    proposed = {}
    for link in (
        Submission.evidence.through.objects.filter(
            submission__cycle=cycle, submission__status__in=PROPOSED
        )
        # Only the indicator's code: its framework texts are large and not needed here.
        .select_related("evidence")
        .annotate(indicator_code=F("submission__indicator__code"))
        .order_by("submission__agency__name", "submission_id", "pk")
    ):
        pieces = proposed.setdefault(link.indicator_code, [])
        if link.evidence not in pieces:
            pieces.append(link.evidence)
    ids = {piece.pk for pieces in (*cited.values(), *proposed.values()) for piece in pieces}
    revisions = {}
    for revision in EvidenceRevision.objects.filter(evidence_id__in=ids).order_by(
        "evidence_id", "-number"
    ):
        revisions.setdefault(revision.evidence_id, revision)

    spec = result.spec
    rows = []
    for node in spec.indicators:
        decision = decisions.get(node.code)
        pieces = cited.get(node.code) or proposed.get(node.code, [])
        rows.append(
            FormRow(
                indicator=node,
                ancestors=tuple(spec.ancestors(node.code)),
                level=decision.level if decision else None,
                fakta=decision.fakta if decision else "",
                analisis=decision.analisis if decision else "",
                evidence=_evidence_items(node, pieces, revisions),
            )
        )
    return OfficialForm(
        cycle=cycle,
        assessment=assessment,
        result=result,
        is_final=assessment.is_final,
        rows=tuple(rows),
    )


def official_form_rows(cycle):
    """[FormRow]: one per indicator in the framework's (the national form's) order."""
    return list(official_form(cycle).rows)


# --- XLSX ----------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="E9EEF4")
THIN = Side(style="thin", color="8792A2")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
DRAFT_FONT = Font(bold=True, color="A01C1C", size=12)
# The first row of the indicator table (its header); the header block sits above it.
TABLE_ROW = 11


def _text(cell, value):
    """A long text cell, cut to what Excel keeps (official_form_xlsx makes every text cell
    safe before saving: a FAKTA starting with "=" is not a formula)."""
    value = value if len(value) <= MAX_CELL else value[: MAX_CELL - 40] + " … (terpotong)"
    cell.value = value
    return cell


def _index_value(value):
    """An index as the number people see (half-up, 2 decimals, a numeric cell that Excel
    prints in its reader's language), or "–" when there is none."""
    return "–" if value is None else float(rounded(value))


def _form_sheet(sheet, form, generated):
    sheet.title = "Formulir"
    cycle, result = form.cycle, form.result
    sheet["A1"] = f"FORMULIR EVALUASI MANDIRI SPBE TAHUN {cycle.year}"
    sheet["A1"].font = Font(bold=True, size=14)
    if not form.is_final:
        sheet["A2"] = "DRAF — hasil evaluasi mandiri belum final; isi formulir ini dapat berubah."
        sheet["A2"].font = DRAFT_FONT
    facts = [
        ("Instansi", form.institution.name),
        ("Tahun", cycle.year),
        ("Kerangka evaluasi", form.framework.name),
        ("Indeks SPBE", _index_value(result.index)),
        ("Predikat", result.rating or "–"),
        ("Status", form.status_text),
        ("Dibuat", generated),
    ]
    for offset, (label, value) in enumerate(facts):
        row = 3 + offset
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=2)
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.value = value
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if label == "Indeks SPBE" and not isinstance(value, str):
            cell.number_format = "0.00"
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)

    kinds = form.group_kinds
    headers = [
        "No.",
        *[str(kind_label(kind)) for kind in kinds],
        "Indikator",
        "Tingkat",
        "Penjelasan (FAKTA dan ANALISIS)",
        "Data dukung (nama berkas ekspor dan SHA-256)",
    ]
    set_widths(sheet, [7, *[24] * len(kinds), 42, 9, 80, 52])
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=TABLE_ROW, column=column, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, GRID, WRAP
    for offset, row in enumerate(form.rows, start=1):
        by_kind = {node.kind: node for node in row.ancestors}
        values = [
            int(row.number) if row.number.isdigit() else row.number,
            *[
                f"{by_kind[kind].number}. {by_kind[kind].name}" if kind in by_kind else ""
                for kind in kinds
            ],
            row.indicator.name,
            row.level if row.level is not None else "–",
            row.penjelasan,
            "\n".join(item.text for item in row.evidence),
        ]
        # The number and the level centred, so neither reads as one with the text beside it
        # ("1" beside "1. Kebijakan …" printed as "11. Kebijakan …").
        centred = (1, len(values) - 2)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=TABLE_ROW + offset, column=column)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
            cell.border = GRID
            cell.alignment = CENTER_TOP if column in centred else WRAP
    sheet.freeze_panes = sheet.cell(row=TABLE_ROW + 1, column=1)
    _layout(sheet, form, title_rows=f"{TABLE_ROW}:{TABLE_ROW}")


def _index_sheet(sheet, form):
    sheet.title = "Indeks"
    sheet["A1"] = f"Indeks SPBE per simpul · {form.institution.name} · {form.cycle.year}"
    sheet["A1"].font = Font(bold=True, size=14)
    if not form.is_final:
        sheet["A2"] = "DRAF — hasil evaluasi mandiri belum final."
        sheet["A2"].font = DRAFT_FONT
    headers = ["Jenis", "No.", "Nama", "Bobot (%)", "Indeks", "Predikat"]
    set_widths(sheet, [12, 7, 56, 11, 10, 16])
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=column, value=title)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, GRID
    result = form.result
    rows = [
        (str(kind_label(node.kind)), node.number, node.name, float(node.weight), index, "")
        for node, index, _shown in result.nodes
    ]
    rows.append(("Indeks SPBE", "", form.framework.name, 100.0, result.index, result.rating))
    for offset, values in enumerate(rows, start=5):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column)
            if column == 5:
                cell.value = _index_value(value)
                cell.number_format = "0.00"
            elif isinstance(value, str):
                _text(cell, value or "")
                if column == 6 and not value:
                    cell.value = None
            else:
                cell.value = value
            cell.border = GRID
            if column == 3:
                cell.alignment = WRAP
    for column in range(1, 7):
        sheet.cell(row=4 + len(rows), column=column).font = BOLD
    sheet.freeze_panes = "A5"
    _layout(sheet, form, title_rows="4:4")


def _layout(sheet, form, *, title_rows):
    """Labels whole, rows as high as their wrapped texts, A4 landscape one page wide with
    the institution and the form's year in the page header."""
    fit_label_columns(sheet)
    fit_row_heights(sheet)
    print_setup(
        sheet, left=form.institution.name, right=form_title(form.cycle), title_rows=title_rows
    )


def official_form_xlsx(cycle, *, form=None, now=None):
    """The form as XLSX bytes: sheet "Formulir" (a header block with the institution, the
    year, the framework, the index and the predicate — and DRAF while the result is not
    final — then the table, its header frozen and repeated on printed pages, A4 landscape)
    and sheet "Indeks" (every domain's and aspect's index)."""
    form = form or official_form(cycle)
    generated = tanggal(cycle.institution.today(now))
    workbook = Workbook()
    _form_sheet(workbook.active, form, generated)
    _index_sheet(workbook.create_sheet(), form)
    workbook.properties.title = form_title(cycle)
    workbook.properties.creator = "Monev SPBE"
    neutralize_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF and Documents --------------------------------------------------------------------


def official_form_context(cycle, *, form=None, now=None):
    """What assessments/official_form.html prints (without `verification`)."""
    form = form or official_form(cycle)
    return {
        "form": form,
        "cycle": cycle,
        "institution": cycle.institution,
        "result": form.result,
        "draft": not form.is_final,
        "title": form_title(cycle),
        "generated": tanggal(cycle.institution.today(now)),
        "kind_labels": [str(kind_label(kind)) for kind in form.group_kinds],
        "table": _grouped(form.rows),
        "index_rows": [
            (node, plain(node.weight), shown) for node, _index, shown in form.result.nodes
        ],
    }


def _grouped(rows):
    """[(nodes that start before this row, row)]: the domain and aspect headings of the
    PDF table, printed where they change."""
    table, previous = [], ()
    for row in rows:
        same = 0
        while (
            same < min(len(previous), len(row.ancestors))
            and previous[same].code == row.ancestors[same].code
        ):
            same += 1
        table.append((row.ancestors[same:], row))
        previous = row.ancestors
    return table


def official_form_pdf(cycle, *, by):
    """Generate the form as a PDF Document (documents.services.generate_pdf: A4 landscape,
    the table header repeated on every page, the verification link and QR). Checks nothing
    itself: call official_form_document."""
    with translation.override("id"):
        return generate_pdf(
            template_name=TEMPLATE,
            context=official_form_context(cycle),
            institution=cycle.institution,
            cycle=cycle,
            kind=KIND,
            source=form_source(cycle),
            title=form_title(cycle),
            by=by,
        )


def official_form_document(cycle, *, by, format):
    """Generate the official form of `cycle` as the next version of its Document ("xlsx" or
    "pdf"; kind "official_form", source "assessments.cycle:<pk>:official_form", title
    "Formulir Evaluasi Mandiri SPBE <year>"). The institution's staff may do this, from a
    draft result too (the file then says DRAF).

    Side effects: the file stored and one Document row through documents.services (which
    writes the audit event "document.generated").
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown official form format: {format!r}")
    if not permissions.can_view_assessment(by, cycle):
        raise PermissionDenied
    if format == "pdf":
        return official_form_pdf(cycle, by=by)
    with translation.override("id"):
        content = official_form_xlsx(cycle, now=timezone.now())
    return store_document(
        institution=cycle.institution,
        cycle=cycle,
        kind=KIND,
        source=form_source(cycle),
        format="xlsx",
        title=form_title(cycle),
        content=content,
        by=by,
    )

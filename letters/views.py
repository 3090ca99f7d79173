from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cycles.permissions import get_cycle_or_404
from documents.downloads import file_response
from documents.templatetags.monev_dates import tanggal
from institutions.permissions import is_staff_member
from letters import permissions, queries, services
from letters.forms import DispositionForm, IssuingUnitForm, LetterForm, SignatureForm
from monev.confirm import confirmation_page, needs_confirmation


def _error_text(error):
    return " ".join(error.messages)


def _render_detail(request, letter, **forms):
    """The letter page. Staff see the workflow (next step, dispositions, receipts); an OPD
    operator sees the letter and the indicators their OPD must answer."""
    user = request.user
    actions = permissions.available_actions(user, letter)
    staff = is_staff_member(user)
    own = permissions.recipient_agencies_of(user, letter) if not staff else []
    circular = staff and letter.kind == letter.Kind.CIRCULAR
    context = {
        # A Surat Edaran: the unit whose register numbers it (None: the institution's own).
        "circular": circular,
        "register_unit": queries.register_unit(letter) if circular else None,
        "can_manage_units": permissions.can_manage_issuing_units(user, letter.cycle.institution),
        "letter": letter,
        "cycle": letter.cycle,
        "actions": actions,
        "staff_view": staff,
        "next_actor_name": letter.cycle.sop.actor_name(letter.next_actor),
        "dispositions": list(queries.dispositions_of(letter)) if staff else [],
        "receipts": queries.receipts_of(letter)
        if staff and letter.status == letter.Status.DISPATCHED
        else [],
        "own_forms": queries.evaluation_forms(letter, own) if own else [],
        "letter_form": forms.get("letter_form")
        or (LetterForm.for_letter(letter) if "edit" in actions else None),
        "disposition_form": forms.get("disposition_form")
        or (DispositionForm() if "dispose" in actions else None),
        "signature_form": forms.get("signature_form")
        or (SignatureForm() if "sign" in actions else None),
    }
    return render(request, "letters/letter_detail.html", context)


@login_required
def letter_detail(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    if permissions.is_recipient_operator(request.user, letter):
        services.mark_letter_opened(letter, by=request.user)
    return _render_detail(request, letter)


@login_required
def letter_edit(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    if request.method != "POST":
        return redirect("letter_detail", pk=letter.pk)
    form = LetterForm.for_letter(letter, request.POST)
    if form.is_valid():
        try:
            services.update_letter(letter, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Teks surat disimpan."))
            return redirect("letter_detail", pk=letter.pk)
    return _render_detail(request, letter, letter_form=form)


def _asks_first(request, letter, action):
    """Ask before an irreversible step, but only when the user may take it now: a refused
    or stale request goes straight to the service, which answers as before."""
    return needs_confirmation(request) and action in permissions.available_actions(
        request.user, letter
    )


def _simple_action(request, pk, service, success):
    letter = permissions.get_letter_or_404(request.user, pk)
    try:
        service(letter, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_submit(request, pk):
    return _simple_action(
        request, pk, services.submit_letter, _("Surat diajukan kepada Kabid untuk disposisi.")
    )


@login_required
@require_POST
def letter_dispose(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    form = DispositionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == DispositionForm.APPROVE
        try:
            services.dispose_letter(
                letter,
                by=request.user,
                approve=approve,
                note=data["note"],
                instruction=data["instruction"],
                addressed_to=data["addressed_to"],
            )
        except ValidationError as error:
            form.add_error("note" if error.code == "note_required" else None, error)
        else:
            messages.success(
                request,
                _("Surat disetujui dan didisposisikan.")
                if approve
                else _("Surat dikembalikan kepada koordinator."),
            )
            return redirect("letter_detail", pk=letter.pk)
    return _render_detail(request, letter, disposition_form=form)


@login_required
@require_POST
def letter_number(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    if _asks_first(request, letter, "number"):
        unit = queries.register_unit(letter)
        number, today = services.peek_next_number(letter.cycle.institution, unit)
        return confirmation_page(
            request,
            title=_("Beri nomor surat?"),
            consequences=[
                _(
                    "Nomor %(number)s diambil dari urutan nomor surat %(institution)s tahun "
                    "%(year)s dan tidak dapat dipakai ulang."
                )
                % {
                    "number": number,
                    "institution": unit.name if unit else letter.cycle.institution.name,
                    "year": today.year,
                },
                _("Tanggal surat: %(date)s.") % {"date": tanggal(today)},
            ],
            undo=_("Tidak dapat dibatalkan: nomor yang sudah diambil tetap tercatat."),
            button=_("Ya, beri nomor surat"),
            back_url=reverse("letter_detail", args=[letter.pk]),
        )
    try:
        services.number_letter(letter, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Surat diberi nomor %(number)s.") % {"number": letter.number})
    return redirect("letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_sign(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    # Before the form: a refused person learns nothing from its errors.
    if not permissions.can_sign_letter(request.user, letter):
        raise PermissionDenied
    form = SignatureForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["method"] == letter.Signature.UPLOAD
        try:
            services.record_signature(
                letter,
                by=request.user,
                signed_pdf=form.cleaned_data["signed_pdf"] if upload else None,
                internal_approval=not upload,
            )
        except ValidationError as error:
            form.add_error("signed_pdf" if upload else None, error)
        else:
            messages.success(request, _("Tanda tangan surat dicatat."))
            return redirect("letter_detail", pk=letter.pk)
    return _render_detail(request, letter, signature_form=form)


@login_required
@require_POST
def letter_dispatch(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    warnings = dispatch_warnings(letter)
    if _asks_first(request, letter, "dispatch"):
        agencies = len(letter.recipients.all())
        operators = queries.recipient_operator_count(letter)
        return confirmation_page(
            request,
            title=_("Kirim surat ke OPD?"),
            consequences=[
                *warnings,
                ngettext(
                    "Surat %(number)s dikirim ke %(count)d OPD.",
                    "Surat %(number)s dikirim ke %(count)d OPD.",
                    agencies,
                )
                % {"number": letter.number, "count": agencies},
                ngettext(
                    "%(count)d operator menerima pemberitahuan di aplikasi dan lewat surel.",
                    "%(count)d operator menerima pemberitahuan di aplikasi dan lewat surel.",
                    operators,
                )
                % {"count": operators},
            ],
            undo=_("Tidak dapat dibatalkan: surat yang sudah dikirim tidak dapat ditarik kembali."),
            button=_("Ya, kirim ke OPD"),
            back_url=reverse("letter_detail", args=[letter.pk]),
        )
    response = _simple_action(
        request, pk, services.dispatch_letter, _("Surat dikirim ke OPD tujuan.")
    )
    if (
        warnings
        and letter.cycle.letters.filter(pk=letter.pk, status=letter.Status.DISPATCHED).exists()
    ):
        for warning in warnings:
            messages.warning(request, warning)
    return response


def dispatch_warnings(letter):
    """What dispatching the letter now would leave to be warned of (the page and the API
    say it): it starts SOP step 4 while the Surat Edaran, step 4's required item, has not
    been dispatched."""
    if queries.opens_collection(letter) and not queries.circular_dispatched(letter.cycle):
        return [_circular_warning()]
    return []


def _circular_warning():
    return _(
        "Perhatian: pengumpulan isian OPD (langkah 4) dimulai, tetapi Surat Edaran Sekretaris "
        "Daerah yang disyaratkan SOP untuk langkah 4 belum dikirim. Pengumpulan tetap berjalan; "
        "siapkan dan kirim Surat Edaran dari halaman periode."
    )


def _draft_from_cycle(request, pk, service, success):
    """Draft from the cycle page, then open the (first) drafted letter."""
    cycle = get_cycle_or_404(request.user, pk)
    try:
        drafted = service(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("cycle_detail", pk=cycle.pk)
    messages.success(request, success)
    letter = drafted[0] if isinstance(drafted, list) else drafted
    return redirect("letter_detail", pk=letter.pk)


@login_required
@require_POST
def cycle_letters_draft(request, pk):
    return _draft_from_cycle(
        request,
        pk,
        services.draft_cycle_letters,
        _("Draf surat undangan dan surat permohonan data dibuat. Periksa teksnya."),
    )


@login_required
@require_POST
def cycle_circular_draft(request, pk):
    return _draft_from_cycle(
        request,
        pk,
        services.draft_circular,
        _("Draf Surat Edaran Sekretaris Daerah dibuat. Periksa teksnya."),
    )


def _require_unit_manager(user):
    if not permissions.can_manage_issuing_units(user, user.institution):
        raise Http404


@login_required
def issuing_unit_list(request):
    _require_unit_manager(request.user)
    institution = request.user.institution
    context = {
        "units": queries.issuing_units_of(institution),
        "institution": institution,
    }
    return render(request, "letters/issuing_units.html", context)


@login_required
def issuing_unit_add(request):
    _require_unit_manager(request.user)
    return _issuing_unit_form(request, None)


@login_required
def issuing_unit_edit(request, pk):
    unit = permissions.get_issuing_unit_or_404(request.user, pk)
    return _issuing_unit_form(request, unit)


def _issuing_unit_form(request, unit):
    form = IssuingUnitForm.for_unit(unit, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_issuing_unit(
                request.user.institution, by=request.user, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Unit penerbit disimpan."))
            return redirect("issuing_unit_list")
    return render(request, "letters/issuing_unit_form.html", {"form": form, "unit": unit})


def _file_name(letter, extension):
    number = letter.number.replace("/", " ") or _("draf")
    name = slugify(f"{letter.get_kind_display()} {number}")
    return f"{name}.{extension}"


def document_response(letter, *, by, format):
    """The letter as PDF or DOCX (letters.services.letter_document), as a download; the
    page and the API answer through it."""
    document = services.letter_document(letter, by=by, format=format)
    return file_response(document.file, _file_name(letter, format))


def signed_file_response(letter):
    """The signed PDF as stored (404 when the signature was an internal approval); the page
    and the API answer through it."""
    if not letter.signed_file:
        raise Http404
    return file_response(letter.signed_file, _file_name(letter, "pdf").replace(".pdf", "-ttd.pdf"))


@login_required
def letter_pdf(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    return document_response(letter, by=request.user, format="pdf")


@login_required
def letter_docx(request, pk):
    letter = permissions.get_letter_or_404(request.user, pk)
    return document_response(letter, by=request.user, format="docx")


@login_required
def letter_signed_file(request, pk):
    return signed_file_response(permissions.get_letter_or_404(request.user, pk))

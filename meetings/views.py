from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cycles.permissions import closed_reason, get_cycle_or_404
from documents.downloads import file_response
from institutions.permissions import is_staff_member
from meetings import permissions, queries, services
from meetings.forms import AttendeeForm, EquipmentForm, MinutesForm, ScheduleForm
from meetings.models import Attendee, Meeting
from meetings.texts import meeting_facts, pukul, zone_name
from monev.confirm import confirmation_page, needs_confirmation

# Refusals that no form change can fix: shown as a message on the page (the forms are gone).
REFUSALS = ("frozen", "ended")


def _error_text(error):
    return " ".join(error.messages)


def _next_step(meeting, *, frozen=None, ended=None):
    """What to do next on this page, in plain words."""
    if meeting is None:
        return _("Jadwalkan rapat koordinasi: tanggal, jam dan tempatnya.")
    letter = meeting.invitation
    if frozen is not None:
        return _("Rapat sudah selesai dan catatannya ditutup; unduh daftar hadir dan notulennya.")
    if ended is not None:
        return _(
            "Rapat sudah selesai. Lengkapi notulen sebelum Berita Acara ditandatangani; "
            "setelah itu catatan rapat tidak dapat diubah lagi."
        )
    if meeting.is_started:
        return _(
            "Rapat berjalan: catat kehadiran dan notulen, lalu buka mode rapat untuk "
            "menyepakati tingkat setiap indikator."
        )
    if letter is None:
        return _("Buat surat undangan rapat untuk OPD, lalu ajukan kepada Kabid.")
    if letter.status != letter.Status.DISPATCHED:
        return _("Undangan rapat: %(next)s") % {"next": letter.next_action}
    return _(
        "Undangan sudah dikirim. Periksa peralatan ruang rapat, catat kehadiran peserta, lalu "
        "mulai rapat."
    )


def _clock_time(moment, time_zone):
    return f"{pukul(moment, time_zone)} {zone_name(time_zone)}"


def _render_page(request, cycle, meeting, **forms):
    user = request.user
    institution = cycle.institution
    staff = is_staff_member(user)
    if meeting is not None:
        meeting.cycle = cycle  # the one already loaded, with its institution and SOP
    frozen = permissions.frozen_reason(meeting) if meeting else closed_reason(cycle)
    ended = permissions.ended_at(meeting) if meeting else None
    context = {
        "cycle": cycle,
        "meeting": meeting,
        "staff_view": staff,
        "next_step": _next_step(meeting, frozen=frozen, ended=ended),
        "frozen": frozen,
        "ended": _clock_time(ended, institution.time_zone) if ended else "",
        # A frozen meeting is read only; an ended one takes no more attendance.
        "can_schedule": permissions.can_schedule_meeting(user, cycle) and frozen is None,
        "attendance_open": frozen is None and ended is None,
    }
    if meeting is None:
        if context["can_schedule"]:
            context["schedule_form"] = forms.get("schedule_form") or ScheduleForm.for_meeting(
                None, time_zone=institution.time_zone, duration=services.default_duration(cycle)
            )
        return render(request, "meetings/meeting_detail.html", context)
    rows = queries.attendance_rows(meeting) if staff else []
    own = (
        next((row for row in rows if row.user_id == user.pk), None)
        if staff
        else meeting.attendees.filter(user=user).first()
    )
    if not permissions.can_view_meeting(user, meeting, invited=own is not None):
        raise Http404
    context.update(
        {
            "facts": meeting_facts(meeting),
            "own": own,
            "rows": rows,
            "present_count": sum(1 for row in rows if row.is_present),
            "listed_count": len(rows),
        }
    )
    if not staff:
        return render(request, "meetings/meeting_detail.html", context)
    can_prepare = permissions.can_prepare_meeting(user, meeting) and frozen is None
    can_minutes = permissions.can_write_minutes(user, meeting) and frozen is None
    if context["can_schedule"] and not meeting.is_started:
        context["schedule_form"] = forms.get("schedule_form") or ScheduleForm.for_meeting(
            meeting, time_zone=institution.time_zone, duration=meeting.duration_minutes
        )
    context.update(
        {
            "can_prepare": can_prepare,
            "can_start": permissions.can_start_meeting(user, meeting) and not meeting.is_started,
            "can_draft_invitation": context["can_schedule"]
            and meeting.invitation is None
            and not meeting.is_started,
            "equipment_form": forms.get("equipment_form")
            or EquipmentForm(lines=queries.equipment_of(meeting)),
            "attendee_form": (forms.get("attendee_form") or AttendeeForm(institution=institution))
            if can_prepare and context["attendance_open"]
            else None,
            "minutes_form": (
                forms.get("minutes_form")
                or MinutesForm(
                    initial={"minutes": meeting.minutes, "version": meeting.minutes_version}
                )
            )
            if can_minutes
            else None,
            "conflict": forms.get("conflict"),
        }
    )
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_detail(request, cycle_pk):
    cycle = get_cycle_or_404(request.user, cycle_pk)
    meeting = queries.meeting_of(cycle)
    if meeting is None and not is_staff_member(request.user):
        raise Http404
    return _render_page(request, cycle, meeting)


@login_required
@require_POST
def meeting_schedule(request, cycle_pk):
    cycle = get_cycle_or_404(request.user, cycle_pk)
    if not is_staff_member(request.user):
        raise Http404
    if not permissions.can_schedule_meeting(request.user, cycle):
        raise PermissionDenied
    meeting = queries.meeting_of(cycle)
    form = ScheduleForm(request.POST, time_zone=cycle.institution.time_zone)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_meeting(
                cycle,
                by=request.user,
                starts_at=form.starts_at(),
                place=data["place"],
                agenda=data["agenda"],
                duration_minutes=data["duration_minutes"],
            )
        except ValidationError as error:
            if error.code in REFUSALS:
                return _refused(request, cycle.pk, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Jadwal rapat disimpan."))
            return redirect("meeting_detail", cycle.pk)
    return _render_page(request, cycle, meeting, schedule_form=form)


@login_required
@require_POST
def meeting_equipment(request, cycle_pk):
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    if not permissions.can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    form = EquipmentForm(request.POST, lines=queries.equipment_of(meeting))
    if form.is_valid():
        try:
            services.set_equipment(meeting, by=request.user, items=form.items())
        except ValidationError as error:
            if error.code in REFUSALS:
                return _refused(request, meeting.cycle_id, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Daftar peralatan disimpan."))
            return redirect(f"{_page(meeting)}#peralatan")
    return _render_page(request, meeting.cycle, meeting, equipment_form=form)


def _page(meeting):
    return reverse("meeting_detail", args=[meeting.cycle_id])


@login_required
@require_POST
def meeting_invitation(request, cycle_pk):
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    try:
        letter = services.draft_meeting_invitation(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("meeting_detail", meeting.cycle_id)
    messages.success(request, _("Draf surat undangan rapat dibuat. Periksa teksnya."))
    return redirect("letter_detail", pk=letter.pk)


@login_required
@require_POST
def meeting_attendee_add(request, cycle_pk):
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    if not permissions.can_prepare_meeting(request.user, meeting):
        raise PermissionDenied
    form = AttendeeForm(request.POST, institution=meeting.cycle.institution)
    if form.is_valid():
        try:
            services.add_attendee(meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if error.code in REFUSALS:
                return _refused(request, meeting.cycle_id, error)
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s ditambahkan ke daftar hadir.") % {"name": form.cleaned_data["name"]},
            )
            return redirect(f"{_page(meeting)}#daftar-hadir")
    return _render_page(request, meeting.cycle, meeting, attendee_form=form)


def _checked_in(request, meeting, attendee):
    if request.htmx:
        present, listed = queries.attendance_count(meeting)
        context = {
            "row": attendee,
            "cycle": meeting.cycle,
            "number": request.POST.get("number", ""),
            "can_prepare": permissions.can_prepare_meeting(request.user, meeting),
            "present_count": present,
            "listed_count": listed,
        }
        return render(request, "meetings/_checked_in.html", context)
    messages.success(request, _("%(name)s tercatat hadir.") % {"name": attendee.name})
    return redirect(f"{_page(meeting)}#daftar-hadir")


@login_required
@require_POST
def meeting_check_in(request, cycle_pk, attendee_pk):
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    attendee = get_object_or_404(
        Attendee.objects.select_related("agency"), pk=attendee_pk, meeting=meeting
    )
    attendee.meeting = meeting
    try:
        services.check_in(attendee, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting.cycle_id, error)
    return _checked_in(request, meeting, attendee)


def _refused(request, cycle_pk, error):
    """A refused write (frozen, ended): the reason as a message on the page; for HTMX a
    400 with the reason, which the page shows in place."""
    if request.htmx:
        return HttpResponse(_error_text(error), status=400)
    messages.error(request, _error_text(error))
    return redirect("meeting_detail", cycle_pk)


@login_required
@require_POST
def meeting_check_in_self(request, cycle_pk):
    """ "Saya hadir": the signed-in person's own row of the daftar hadir."""
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    attendee = meeting.attendees.filter(user=request.user).first()
    if attendee is None:
        raise Http404
    attendee.meeting = meeting
    try:
        services.check_in(attendee, by=request.user)
    except ValidationError as error:
        return _refused(request, meeting.cycle_id, error)
    messages.success(request, _("Kehadiran Anda tercatat. Terima kasih."))
    return redirect("meeting_detail", meeting.cycle_id)


@login_required
@require_POST
def meeting_start(request, cycle_pk):
    """Starting closes SOP step 5 for good: the first POST asks, with what it does."""
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    if not permissions.can_start_meeting(request.user, meeting):
        raise PermissionDenied
    if services.start_refusal(meeting) is None and needs_confirmation(request):
        return _start_confirmation(request, meeting)
    try:
        services.start_meeting(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Rapat dimulai. Langkah 6 SOP berjalan."))
    return redirect("meeting_detail", meeting.cycle_id)


def _start_confirmation(request, meeting):
    absent = len(services.absent_to_notify(meeting, by=request.user))
    return confirmation_page(
        request,
        title=_("Mulai rapat koordinasi?"),
        consequences=[
            _("Langkah 5 SOP (rekap data OPD) selesai dan langkah 6 (rapat) dimulai sekarang."),
            ngettext(
                "%(count)s undangan yang belum tercatat hadir diberi tahu, dengan tautan untuk "
                "mengisi daftar hadir.",
                "%(count)s undangan yang belum tercatat hadir diberi tahu, dengan tautan untuk "
                "mengisi daftar hadir.",
                absent,
            )
            % {"count": absent},
        ],
        undo=_("Rapat yang sudah dimulai tidak dapat dibatalkan; jam mulainya tercatat."),
        button=_("Ya, mulai rapat"),
        back_url=reverse("meeting_detail", args=[meeting.cycle_id]),
    )


@login_required
@require_POST
def meeting_minutes(request, cycle_pk):
    """Save the minutes without JavaScript (the autosave does it as people type)."""
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.save_minutes(
                meeting,
                by=request.user,
                text=form.cleaned_data["minutes"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if error.code == "conflict":
                return _render_conflict(request, meeting, form)
            if error.code in REFUSALS:
                return _refused(request, meeting.cycle_id, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Notulen disimpan."))
            return redirect(f"{_page(meeting)}#notulen")
    return _render_page(request, meeting.cycle, meeting, minutes_form=form)


def _render_conflict(request, meeting, form):
    """Keep the person's text in the form, show the stored minutes beside it, and carry the
    stored version so that saving again deliberately replaces them."""
    stored = _stored(meeting)
    data = form.data.copy()
    data["version"] = stored.minutes_version
    form = MinutesForm(data)
    form.is_valid()
    form.add_error(None, services.conflict_error())
    return _render_page(request, meeting.cycle, meeting, minutes_form=form, conflict=stored)


def _stored(meeting):
    return Meeting.objects.select_related("minutes_updated_by").get(pk=meeting.pk)


@require_POST
def meeting_minutes_autosave(request, cycle_pk):
    """HTMX: save the minutes as they are typed; answers with the status line, the new
    version (out of band) and, on a conflict, the stored minutes (out of band)."""
    if not request.user.is_authenticated:
        return _autosave_status(request, error=_("Sesi Anda berakhir; masuk lagi."))
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    form = MinutesForm(request.POST)
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return _autosave_status(request, error=" ".join(errors))
    try:
        meeting = services.save_minutes(
            meeting,
            by=request.user,
            text=form.cleaned_data["minutes"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        conflict = _stored(meeting) if error.code == "conflict" else None
        return _autosave_status(request, error=_error_text(error), conflict=conflict)
    return _autosave_status(request, saved=meeting)


def _autosave_status(request, *, saved=None, error="", conflict=None):
    context = {
        "saved": saved,
        "saved_at": timezone.localtime(saved.minutes_updated_at)
        if saved and saved.minutes_updated_at
        else None,
        "error": error,
        "conflict": conflict,
        "cycle_pk": request.resolver_match.kwargs["cycle_pk"],
    }
    return render(request, "meetings/_minutes_status.html", context)


def _document_response(request, cycle_pk, service, name):
    meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
    document = service(meeting, by=request.user)
    filename = f"{slugify(f'{name} {meeting.cycle.name}')}.pdf"
    return file_response(document.file, filename)


@login_required
def meeting_attendance_pdf(request, cycle_pk):
    return _document_response(request, cycle_pk, services.attendance_document, "daftar hadir")


@login_required
def meeting_minutes_pdf(request, cycle_pk):
    return _document_response(request, cycle_pk, services.minutes_document, "notulen")

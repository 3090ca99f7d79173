from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cycles.models import StepRun
from cycles.permissions import get_cycle_or_404
from evidence.queries import answer_panel
from evidence.uploads import INLINE_CONTENT_TYPES
from frameworks.queries import get_indicator_or_404
from institutions.permissions import is_staff_member
from monev.confirm import confirmation_page, needs_confirmation
from submissions import permissions, queries, services
from submissions.forms import DecisionForm, ReopenForm, SubmissionForm
from submissions.models import Submission
from submissions.texts import indicator_texts


def _error_text(error):
    return " ".join(error.messages)


# --- The OPD portal -----------------------------------------------------------------------


def _render_portal(request, cycle, agency, reopen_form=None):
    user = request.user
    work = queries.agency_work([(cycle, agency)])[0]
    can_reopen = permissions.can_reopen(user, cycle)
    context = {
        "cycle": cycle,
        "agency": agency,
        "work": work,
        "rows": _portal_table(cycle, agency, work.rows),
        "progress": work.progress,
        "window": work.window,
        "advice": queries.portal_advice(work.progress, work.window),
        # SOP step 4's box: the OPD's assigned and handed-in answers, from its work.
        "step_answers": (work.progress.total, work.progress.submitted),
        "can_answer": permissions.can_answer(user, cycle, agency),
        "can_review": permissions.can_review(user, cycle),
        "reopen_form": reopen_form or (ReopenForm() if can_reopen else None),
    }
    return render(request, "submissions/portal.html", context)


def _portal_table(cycle, agency, rows):
    """The portal's table rows as plain values, computed once here rather than looked up
    through the row objects for every cell (a city OPD answers ~47 indicators)."""
    table = []
    for row in rows:
        indicator, submission = row.indicator, row.submission
        missing = submission.missing_parts if submission and not row.is_in else []
        table.append(
            {
                "number": indicator.number,
                "name": indicator.name,
                "parent": indicator.parent.name if indicator.parent_id else "",
                "url": reverse("submission_edit", args=[cycle.pk, agency.pk, indicator.pk]),
                "missing": ", ".join(missing),
                "label": row.state_label,
                "badge": row.badge,
                "level": submission.level if submission else None,
                "evidence": submission.evidence_count if submission else None,
                "note": row.return_note,
            }
        )
    return table


@login_required
def portal(request, cycle_pk, agency_pk):
    cycle, agency = permissions.get_portal_or_404(request.user, cycle_pk, agency_pk)
    return _render_portal(request, cycle, agency)


@login_required
@require_POST
def portal_submit_all(request, cycle_pk, agency_pk):
    cycle, agency = permissions.get_portal_or_404(request.user, cycle_pk, agency_pk)
    if not permissions.can_answer(request.user, cycle, agency):
        raise Http404
    try:
        submitted = services.submit_agency_package(cycle, agency, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(count)s isian diajukan kepada koordinator.") % {"count": len(submitted)},
        )
    return redirect("portal", cycle.pk, agency.pk)


@login_required
@require_POST
def agency_reopen(request, cycle_pk, agency_pk):
    cycle, agency = permissions.get_portal_or_404(request.user, cycle_pk, agency_pk)
    if not permissions.can_reopen(request.user, cycle):
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_agency(cycle, agency, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Isian %(agency)s dibuka kembali.") % {"agency": agency.short_name}
            )
            return redirect("portal", cycle.pk, agency.pk)
    return _render_portal(request, cycle, agency, reopen_form=form)


# --- One indicator: the OPD's answer -------------------------------------------------------


def _answer_target(user, cycle_pk, agency_pk, node_pk, *, with_texts=True):
    """(cycle, agency, indicator) of an answer the user may see: 404 for another
    institution's or another OPD's, and for a node that is no indicator of the cycle's
    framework (read from the kept framework tree). Whether the indicator is assigned to
    the OPD is the save's own check (_save_draft), or the page's (_render_edit)."""
    cycle, agency = permissions.get_portal_or_404(user, cycle_pk, agency_pk)
    return cycle, agency, get_indicator_or_404(cycle.framework, node_pk, with_texts=with_texts)


def _save_draft(request, cycle, agency, indicator, form):
    """services.save_draft of the form's answer. The service refuses an indicator not
    assigned to the OPD; the person gets the 404 of any answer they may not give."""
    try:
        return services.save_draft(cycle, indicator, agency, by=request.user, **form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None


def _render_edit(request, cycle, agency, node_pk, form=None, conflict=None):
    """The indicator page, top to bottom: the question, the level picker with the chosen
    level's criteria, FAKTA and ANALISIS, the data dukung, the actions, then the guidance
    and the review thread. `conflict` is the stored answer a save was refused against; the
    page shows it next to the person's own text.

    What the page needs of the OPD's work is read once (queries.answer_place): the answer
    (404 when the indicator is not assigned), the position among the OPD's indicators, and
    the answering window (also the data dukung panel's lock). The framework's texts come
    rendered (submissions.texts)."""
    user = request.user
    place = queries.answer_place(cycle, agency, node_pk)
    if place is None:
        raise Http404
    framework, submission, window = cycle.framework, place.submission, place.window
    # With its texts: the data dukung panel's validity rules read the criteria.
    indicator = get_indicator_or_404(framework, node_pk)
    texts = indicator_texts(framework, indicator)
    refusal = services.edit_refusal(cycle, agency, submission, window=window)
    editable = permissions.can_answer(user, cycle, agency) and refusal is None
    edit_url = reverse("submission_edit", args=[cycle.pk, agency.pk, indicator.pk])
    if editable and form is None:
        form = SubmissionForm.for_submission(submission, texts.level_names())
    chosen_level = _chosen_level(form if editable else None, submission)
    previous = queries.previous_answer(cycle, agency, indicator) if editable else None
    thread = queries.thread(submission) if submission else []
    panel = answer_panel(cycle, agency, indicator, submission, user, window=window)
    if panel is not None:
        panel.return_url = edit_url
    context = {
        "cycle": cycle,
        "agency": agency,
        "indicator": indicator,
        "submission": submission,
        "state": queries.STATES[queries.state_of(submission)],
        "texts": texts,
        "level_name": texts.level_name(submission.level) if submission else "",
        "chosen_level": chosen_level,
        "criteria": texts.criteria(open_level=chosen_level),
        "position": place.position,
        "window": window,
        "form": form if editable else None,
        "fields": form.page_fields() if editable else None,
        "refusal": refusal,
        "conflict": conflict,
        "thread": thread,
        "pinned_return": queries.pinned_return(submission, thread),
        "previous": previous,
        "previous_level_name": texts.level_name(previous.level) if previous else "",
        "can_review": permissions.can_review(user, cycle),
        "panel": panel,
        "autosave_url": reverse("submission_autosave", args=[cycle.pk, agency.pk, indicator.pk]),
        "edit_url": edit_url,
        "conflict_level_name": texts.level_name(conflict.level) if conflict else "",
    }
    return render(request, "submissions/submission_edit.html", context)


def _chosen_level(form, submission):
    """The level whose criteria the page opens: the form's choice, else the stored one."""
    if form is None:
        return submission.level if submission else None
    value = form["level"].value()
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
def submission_edit(request, cycle_pk, agency_pk, node_pk):
    """GET: the indicator page. POST: save the draft (the form without JavaScript, and
    "Simpan & lanjut", which then opens the next indicator still to do)."""
    if request.method != "POST":
        cycle, agency = permissions.get_portal_or_404(request.user, cycle_pk, agency_pk)
        return _render_edit(request, cycle, agency, node_pk)
    cycle, agency, indicator = _answer_target(request.user, cycle_pk, agency_pk, node_pk)
    if not permissions.can_answer(request.user, cycle, agency):
        raise Http404
    levels = queries.level_names(cycle.framework, indicator)
    form = SubmissionForm(request.POST, levels=levels)
    if form.is_valid():
        try:
            _save_draft(request, cycle, agency, indicator, form)
        except ValidationError as error:
            if error.code == "conflict":
                return _render_conflict(request, cycle, agency, indicator, levels, form)
            form.add_error(None, error)
        else:
            if "lanjut" in request.POST:
                return _redirect_to_next(request, cycle, agency, indicator)
            messages.success(request, _("Draf disimpan."))
            return redirect("submission_edit", cycle.pk, agency.pk, indicator.pk)
    return _render_edit(request, cycle, agency, indicator.pk, form=form)


def _redirect_to_next(request, cycle, agency, indicator):
    """After "Simpan & lanjut": the next indicator the OPD still has to hand in, else the
    portal."""
    following = queries.next_to_do(queries.portal_rows(cycle, agency), indicator)
    saved = _("Draf indikator %(number)s disimpan.") % {"number": indicator.number}
    if following is None:
        messages.success(
            request,
            f"{saved} "
            + _("Tidak ada indikator lain yang perlu diisi; periksa lalu ajukan isian Anda."),
        )
        return redirect("portal", cycle.pk, agency.pk)
    messages.success(
        request,
        f"{saved} " + _("Lanjut ke indikator %(number)s.") % {"number": following.indicator.number},
    )
    return redirect("submission_edit", cycle.pk, agency.pk, following.indicator.pk)


def _render_conflict(request, cycle, agency, indicator, levels, form):
    """Keep the person's text in the form, show the stored answer beside it, and carry the
    stored version so that saving again deliberately replaces it."""
    stored = Submission.objects.select_related("updated_by").get(
        cycle=cycle, agency=agency, indicator=indicator
    )
    data = form.data.copy()
    data["version"] = stored.version
    form = SubmissionForm(data, levels=levels)
    form.is_valid()
    form.add_error(None, services.conflict_error())
    return _render_edit(request, cycle, agency, indicator.pk, form=form, conflict=stored)


@require_POST
def submission_autosave(request, cycle_pk, agency_pk, node_pk):
    """HTMX: save the draft as the person types; answers with the status line, the new
    version (out of band) and, on a conflict, the stored answer (out of band)."""
    if not request.user.is_authenticated:
        return _autosave_status(request, error=_("Sesi Anda berakhir; masuk lagi."))
    # The answer's texts are not read: the indicator without its criteria and guidance.
    cycle, agency, indicator = _answer_target(
        request.user, cycle_pk, agency_pk, node_pk, with_texts=False
    )
    if not permissions.can_answer(request.user, cycle, agency):
        raise Http404
    levels = queries.level_names(cycle.framework, indicator)
    form = SubmissionForm(request.POST, levels=levels)
    if not form.is_valid():
        permissions.get_assignment_or_404(cycle, agency, indicator.pk)  # as a save would
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return _autosave_status(request, error=" ".join(errors))
    try:
        submission = _save_draft(request, cycle, agency, indicator, form)
    except ValidationError as error:
        if error.code != "conflict":
            return _autosave_status(request, error=_error_text(error))
        stored = Submission.objects.select_related("updated_by").get(
            cycle=cycle, agency=agency, indicator=indicator
        )
        return _autosave_status(request, error=_error_text(error), conflict=stored, levels=levels)
    return _autosave_status(request, saved=submission)


def _level_name(levels, level):
    return next((row["name"] for row in levels if row["level"] == level), "")


def _autosave_status(request, *, saved=None, error="", conflict=None, levels=()):
    edit_url = reverse("submission_edit", kwargs=request.resolver_match.kwargs)
    context = {
        "saved": saved,
        "saved_at": timezone.localtime(saved.updated_at) if saved else None,
        "state": queries.STATES[saved.status] if saved else None,
        "error": error,
        "conflict": conflict,
        "conflict_level_name": _level_name(levels, conflict.level) if conflict else "",
        "autosave_url": request.path,
        "edit_url": edit_url,
    }
    # A fragment without the page's context (no context processors to run).
    return HttpResponse(render_to_string("submissions/_autosave.html", context))


@login_required
@require_POST
def submission_submit(request, cycle_pk, agency_pk, node_pk):
    """Save what the form holds, then submit it."""
    cycle, agency, indicator = _answer_target(request.user, cycle_pk, agency_pk, node_pk)
    if not permissions.can_answer(request.user, cycle, agency):
        raise Http404
    levels = queries.level_names(cycle.framework, indicator)
    form = SubmissionForm(request.POST, levels=levels)
    if not form.is_valid():
        return _render_edit(request, cycle, agency, indicator.pk, form=form)
    try:
        submission = _save_draft(request, cycle, agency, indicator, form)
    except ValidationError as error:
        if error.code == "conflict":
            return _render_conflict(request, cycle, agency, indicator, levels, form)
        form.add_error(None, error)
        return _render_edit(request, cycle, agency, indicator.pk, form=form)
    try:
        services.submit_submission(submission, by=request.user)
    except ValidationError as error:
        if error.code != "submitted":  # a second click of the same button: already done
            messages.error(request, _error_text(error))
            return redirect("submission_edit", cycle.pk, agency.pk, indicator.pk)
    messages.success(
        request, _("Isian indikator %(number)s diajukan.") % {"number": indicator.number}
    )
    return redirect("portal", cycle.pk, agency.pk)


# --- Review (SOP step 5) -------------------------------------------------------------------


def _staff_cycle_or_404(user, cycle_pk):
    cycle = get_cycle_or_404(user, cycle_pk)
    if not is_staff_member(user):
        raise Http404
    return cycle


def _step_four(cycle):
    return StepRun.objects.filter(cycle=cycle, number=4).first()


def _queue_filter(request, agencies):
    """The review list's filter from its GET parameters: (state, the chosen OPD or None);
    an unknown value falls back to the default (the answers waiting for review, all OPDs)."""
    state = request.GET.get("status")
    if state not in (*queries.QUEUE_STATES, queries.ALL_STATES):
        state = Submission.Status.SUBMITTED
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("opd")), None)
    return state, chosen


@login_required
def review_list(request, cycle_pk):
    """The coordinator's review queue: the indicators with an answer in the chosen state
    (by default those waiting for review, the longest waiting first), for one OPD or all."""
    cycle = _staff_cycle_or_404(request.user, cycle_pk)
    step_four = _step_four(cycle)
    agencies = list(queries.reviewed_agencies(cycle))
    state, agency = _queue_filter(request, agencies)
    rows = queries.review_rows(cycle, agency_id=agency.pk if agency else None)
    queue = queries.review_queue(rows, state)
    counts = queries.queue_counts(rows)
    labels = {key: capfirst(label) for key, (label, _badge) in queries.STATES.items()}
    labels[Submission.Status.SUBMITTED] = _("Menunggu verifikasi")
    labels[queries.ALL_STATES] = _("Semua")
    tabs = [
        {"state": key, "label": labels[key], "count": counts[key], "current": key == state}
        for key in (*queries.QUEUE_STATES, queries.ALL_STATES)
    ]
    now = timezone.now()
    context = {
        "cycle": cycle,
        "rows": [
            (row, queries.days_waiting(row.oldest_waiting, cycle, now=now) if row.waiting else None)
            for row in queue
        ],
        "tabs": tabs,
        "state": state,
        "state_label": labels[state],
        "agencies": agencies,
        "agency": agency,
        "any_assigned": bool(agencies),
        "can_close": permissions.can_close_collection(request.user, cycle)
        and step_four is not None
        and step_four.status == StepRun.Status.RUNNING,
        "step_four": step_four,
    }
    return render(request, "submissions/review_list.html", context)


@login_required
@require_POST
def collection_close(request, cycle_pk):
    """Without `confirmed=yes`, a page that states what closing does, in numbers, with the
    button that posts again confirmed; nothing changes. Confirmed: the service closes."""
    cycle = _staff_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_close_collection(request.user, cycle):
        raise Http404
    step_four = _step_four(cycle)
    running = step_four is not None and step_four.status == StepRun.Status.RUNNING
    # Only a running collection asks first; otherwise the service says why nothing happens.
    if running and needs_confirmation(request):
        return _close_confirmation(request, cycle)
    try:
        services.close_collection(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Pengumpulan isian ditutup; langkah 5 (rekap dan verifikasi) dimulai.")
        )
    return redirect("review_list", cycle.pk)


def _close_confirmation(request, cycle):
    agencies, indicators = queries.close_gaps(cycle)
    if indicators:
        gap = _(
            "%(agencies)s OPD belum mengajukan %(indicators)s indikator; mereka tidak dapat "
            "mengubah isian setelah ini kecuali dibuka kembali oleh koordinator."
        ) % {"agencies": agencies, "indicators": indicators}
    else:
        gap = _(
            "Semua OPD sudah mengajukan semua indikatornya; setelah ini mereka tidak dapat "
            "mengubah isian kecuali dibuka kembali oleh koordinator."
        )
    return confirmation_page(
        request,
        title=_("Tutup pengumpulan isian?"),
        consequences=[
            gap,
            _("Langkah 4 selesai dan langkah 5 dimulai."),
            _("Evaluator diberi tahu bahwa isian siap diperiksa."),
        ],
        undo=_(
            "Penutupan ini tidak dapat dibatalkan untuk semua OPD sekaligus, tetapi koordinator "
            "tetap dapat membuka kembali isian satu OPD, dengan alasan dan batas waktu, di portal "
            "OPD tersebut (bagian “Buka kembali isian OPD ini”)."
        ),
        button=_("Ya, tutup pengumpulan isian"),
        back_url=reverse("review_list", args=[cycle.pk]),
    )


@login_required
def review_indicator(request, cycle_pk, node_pk):
    cycle = _staff_cycle_or_404(request.user, cycle_pk)
    indicator = get_indicator_or_404(cycle.framework, node_pk)
    texts = indicator_texts(cycle.framework, indicator)
    next_waiting, waiting_left = queries.next_waiting(cycle, indicator)
    context = {
        "cycle": cycle,
        "indicator": indicator,
        "rows": queries.contributions(cycle, indicator),
        "texts": texts,
        "levels": texts.levels,
        "can_review": permissions.can_review(request.user, cycle),
        "deadline_passed": queries.local_today(cycle) > cycle.deadline,
        "reopened": queries.reopened_agency_ids(cycle),
        "decision_form": DecisionForm(),
        "decidable": (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED),
        "next_waiting": next_waiting,
        "waiting_left": waiting_left,
        "inline_types": INLINE_CONTENT_TYPES,
    }
    return render(request, "submissions/review_indicator.html", context)


def _decision(request, pk, service, success):
    submission = permissions.get_submission_or_404(request.user, pk)
    if not permissions.can_review_submission(request.user, submission):
        raise Http404
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data()["note"])
        service(submission, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(
            request,
            f"{submission.agency.short_name}: {_error_text(error)}",
        )
    else:
        messages.success(request, success % {"agency": submission.agency.short_name})
    url = reverse("review_indicator", args=[submission.cycle_id, submission.indicator_id])
    return redirect(f"{url}#opd-{submission.agency_id}")


@login_required
@require_POST
def submission_return(request, pk):
    return _decision(
        request,
        pk,
        services.return_submission,
        _("Isian %(agency)s dikembalikan dengan catatan."),
    )


@login_required
@require_POST
def submission_accept(request, pk):
    return _decision(request, pk, services.accept_submission, _("Isian %(agency)s diterima."))

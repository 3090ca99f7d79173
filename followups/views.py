from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followups import permissions, queries, services
from followups.forms import (
    FindingForm,
    FindingTextForm,
    FollowUpCreateForm,
    FollowUpFilterForm,
    FollowUpUpdateForm,
)
from followups.models import Finding, FollowUp
from institutions.permissions import agencies_of

# --- Findings -------------------------------------------------------------------------------


def _findings_context(request, cycle, *, failed=None):
    user = request.user
    # A closed cycle's findings are read only: no forms, the reason instead.
    frozen = permissions.frozen_reason(cycle)
    can_create = permissions.can_create_follow_up(user, cycle) and frozen is None
    groups = queries.findings_by_aspect(cycle)
    return {
        "cycle": cycle,
        "groups": groups,
        "domains": [
            (domain, list(items))
            for domain, items in groupby(groups, key=lambda group: group.domain)
        ],
        "can_edit": permissions.can_edit_findings(user, cycle) and frozen is None,
        "can_create_follow_up": can_create,
        "frozen": frozen,
        "agencies": list(cycle.institution.agencies.filter(is_active=True)) if can_create else [],
        "today": cycle.institution.today(),
        "failed": failed or {},
    }


def _respond(request, cycle, aspect, *, success="", failed=None):
    """After a write on the findings page: the aspect's section again (HTMX), the page with
    the failed form filled in and its message, or a redirect back to the aspect."""
    if request.htmx or failed:
        context = _findings_context(request, cycle, failed=failed)
        if not request.htmx:
            return render(request, "followups/findings.html", context)
        context["group"] = next(g for g in context["groups"] if g.aspect.pk == aspect.pk)
        context["notice"] = success
        return render(request, "followups/findings.html#aspect", context)
    messages.success(request, success)
    return redirect(reverse("findings", args=[cycle.pk]) + f"#aspek-{aspect.code}")


def _error_text(error):
    return " ".join(error.messages)


@login_required
def findings(request, cycle_pk):
    cycle = permissions.get_findings_cycle_or_404(request.user, cycle_pk)
    return render(request, "followups/findings.html", _findings_context(request, cycle))


@login_required
@require_POST
def finding_add(request, cycle_pk):
    cycle = permissions.get_findings_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_edit_findings(request.user, cycle):
        raise Http404
    form = FindingForm(request.POST)
    if not form.is_valid() and not form.has_error("text"):
        raise Http404
    aspect = get_object_or_404(cycle.framework.nodes, pk=form.cleaned_data["aspect"])
    kind, text = form.cleaned_data["kind"], form.data.get("text", "")
    try:
        _check_text(form)
        services.add_finding(cycle, by=request.user, aspect=aspect, kind=kind, text=text)
    except ValidationError as error:
        failed = {"form": "add", "aspect": aspect.pk, "kind": kind, "text": text}
        failed["message"] = _error_text(error)
        return _respond(request, cycle, aspect, failed=failed)
    label = Finding.Kind(kind).label
    return _respond(request, cycle, aspect, success=_("%(kind)s ditambahkan.") % {"kind": label})


def _check_text(form):
    """The form's refusal of the text (too long), raised as the service would."""
    if not form.is_valid() and form.has_error("text"):
        raise ValidationError(form.errors.as_data()["text"])


@login_required
@require_POST
def finding_edit(request, pk):
    finding = permissions.get_finding_or_404(request.user, pk)
    if not permissions.can_edit_findings(request.user, finding.cycle):
        raise Http404
    form = FindingTextForm(request.POST)
    text = form.data.get("text", "")
    try:
        _check_text(form)
        services.update_finding(finding, by=request.user, text=text)
    except ValidationError as error:
        failed = {"form": "edit", "finding": finding.pk, "text": text}
        failed["message"] = _error_text(error)
        return _respond(request, finding.cycle, finding.aspect, failed=failed)
    return _respond(request, finding.cycle, finding.aspect, success=_("Perubahan disimpan."))


@login_required
@require_POST
def finding_delete(request, pk):
    finding = permissions.get_finding_or_404(request.user, pk)
    if not permissions.can_edit_findings(request.user, finding.cycle):
        raise Http404
    try:
        services.delete_finding(finding, by=request.user)
    except ValidationError as error:
        failed = {"form": "delete", "finding": finding.pk, "message": _error_text(error)}
        return _respond(request, finding.cycle, finding.aspect, failed=failed)
    label = Finding.Kind(finding.kind).label
    return _respond(
        request, finding.cycle, finding.aspect, success=_("%(kind)s dihapus.") % {"kind": label}
    )


@login_required
@require_POST
def follow_up_create(request, pk):
    finding = permissions.get_finding_or_404(request.user, pk)
    cycle = finding.cycle
    if not permissions.can_create_follow_up(request.user, cycle):
        raise Http404
    form = FollowUpCreateForm(request.POST, institution=cycle.institution)
    message = " ".join(
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    )
    if not message:
        try:
            follow_up = services.create_follow_up(finding, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            message = _error_text(error)
    if message:
        failed = {"form": "follow", "finding": finding.pk, "message": message}
        failed.update({name: request.POST.get(name, "") for name in form.fields})
        return _respond(request, cycle, finding.aspect, failed=failed)
    success = _("Tindak lanjut untuk %(agency)s dibuat; operatornya menerima pemberitahuan.") % {
        "agency": follow_up.agency.short_name
    }
    return _respond(request, cycle, finding.aspect, success=success)


# --- Follow-ups -----------------------------------------------------------------------------


def _filtered(rows, form, own):
    if own is not None:
        rows = rows.filter(agency__in=own)
    if form.is_valid():
        agency, status = form.cleaned_data["agency"], form.cleaned_data["status"]
        if agency is not None:
            rows = rows.filter(agency=agency)
        if status == "aktif":
            rows = rows.filter(status__in=FollowUp.OPEN_STATUSES)
        elif status:
            rows = rows.filter(status=status)
    return rows


@login_required
def follow_up_list(request, cycle_pk):
    user = request.user
    cycle = permissions.get_follow_up_cycle_or_404(user, cycle_pk)
    own = None if permissions.sees_every_agency(user) else agencies_of(user)
    agencies = cycle.institution.agencies.all()
    if own is not None:
        agencies = agencies.filter(pk__in=[agency.pk for agency in own])
    form = FollowUpFilterForm(request.GET, agencies=agencies)
    context = {
        "cycle": cycle,
        "form": form,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "originated": list(_filtered(queries.follow_ups_of(cycle), form, own)),
        "carried": list(_filtered(queries.carried_follow_ups(cycle), form, own)),
        "summary": queries.open_items_by_agency(cycle) if own is None else [],
        "staff_view": own is None,
        "can_create": permissions.can_create_follow_up(user, cycle),
        "today": cycle.institution.today(),
    }
    return render(request, "followups/follow_up_list.html", context)


@login_required
def follow_up_detail(request, pk):
    user = request.user
    follow_up = permissions.get_follow_up_or_404(user, pk)
    can_update = permissions.can_update_follow_up(user, follow_up)
    can_reopen = permissions.can_close_for_good(user, follow_up)
    form = FollowUpUpdateForm(
        request.POST if request.method == "POST" else None,
        can_drop=can_reopen,
        initial={"status": follow_up.status},
    )
    if request.method == "POST":
        if not can_update:
            raise Http404
        if form.is_valid():
            try:
                services.update_follow_up(follow_up, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Kemajuan tindak lanjut disimpan."))
                return redirect("follow_up_detail", follow_up.pk)
    context = {
        "follow_up": follow_up,
        "cycle": follow_up.cycle,
        "form": form,
        "show_form": can_update and (follow_up.is_open or can_reopen),
        "staff_view": permissions.sees_every_agency(user),
        "history": follow_up.updates.select_related("by"),
        "today": follow_up.cycle.institution.today(),
    }
    return render(request, "followups/follow_up_detail.html", context)

"""Who may do what with the step-7 statements and the reports. Plain predicates, shared by
views, services and templates.

The `can_*` predicates answer "is this the person's job?" (role and institution); the
statement's status decides separately whether the action is possible now
(`available_actions`), so a service can tell "not yours" (PermissionDenied) from "not yet"
(ValidationError).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cycles.permissions import get_cycle_or_404
from institutions.models import Role
from institutions.permissions import has_role, is_staff_member
from reports.models import SignedReport


def _acts_as(user, cycle, *roles):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == cycle.institution_id
        and has_role(user, *roles)
    )


def can_view_reports(user, cycle):
    """The institution's staff (Diskominfo, the city team, the leader); not OPD operators."""
    return (
        user.is_authenticated
        and user.institution_id == cycle.institution_id
        and is_staff_member(user)
    )


def can_prepare_report(user, cycle):
    return _acts_as(user, cycle, Role.COORDINATOR)


def can_edit_report(user, report):
    return _acts_as(user, report.cycle, Role.COORDINATOR)


def can_number_report(user, report):
    return _acts_as(user, report.cycle, Role.SECRETARIAT, Role.COORDINATOR)


def can_route_report(user, report):
    return _acts_as(user, report.cycle, Role.SECRETARIAT, Role.COORDINATOR)


def can_approve_report(user, report):
    """Record the signature as the signer's own internal approval: the leader only."""
    return _acts_as(user, report.cycle, Role.LEADER)


def can_upload_signed_report(user, report):
    """Upload the PDF signed with TTE / SRIKANDI: the leader or the secretariat."""
    return _acts_as(user, report.cycle, Role.LEADER, Role.SECRETARIAT)


def can_sign_report(user, report):
    return can_approve_report(user, report) or can_upload_signed_report(user, report)


def available_actions(user, report):
    """The actions this user can take on the statement now: a set of action names."""
    Status = SignedReport.Status
    actions = set()
    if report.status == Status.DRAFT:
        if can_edit_report(user, report):
            actions.add("edit")
        if can_number_report(user, report):
            actions.add("number")
    if report.status == Status.NUMBERED:
        if can_route_report(user, report) and not report.is_routed:
            actions.add("route")
        if can_approve_report(user, report):
            actions.add("approve")
        if can_upload_signed_report(user, report):
            actions.add("upload")
    return actions


def get_report_or_404(user, pk):
    """A step-7 statement the user may see; another institution's, or any for an OPD
    operator, is a 404 (the Dokumen Evaluasi's approval has its own page)."""
    report = get_object_or_404(
        SignedReport.objects.select_related(
            "cycle__institution", "cycle__sop", "cycle__framework", "signed_by", "routed_by"
        ).filter(cycle__institution_id=user.institution_id, kind__in=SignedReport.STATEMENT_KINDS),
        pk=pk,
    )
    if not can_view_reports(user, report.cycle):
        raise Http404
    return report


def get_report_cycle_or_404(user, pk):
    """A cycle whose reports the user may see (staff of its institution), else 404."""
    cycle = get_cycle_or_404(user, pk)
    if not can_view_reports(user, cycle):
        raise Http404
    return cycle

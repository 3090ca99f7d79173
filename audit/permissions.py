"""Who reads which audit events. A cycle's events are its history page's (cycles.permissions
.can_view_history: the institution's staff); the whole trail of the institution — accounts,
settings, imports as well as every cycle's events, the chain a program verifies — is its
administrator's, who already sees the accounts those events are about."""

from audit.models import AuditEvent
from cycles.permissions import can_view_history, get_cycle_or_404
from institutions.permissions import can_manage_people, is_staff_member


def can_read_audit_trail(user):
    """The institution's whole audit trail (its hash chain): its administrator."""
    return can_manage_people(user)


def audit_events_for(user, *, cycle_pk=None):
    """The audit events `user` may read, or None (the API and pages answer 404): one
    cycle's events for those who see its history (another institution's cycle is 404), or
    without a cycle the whole trail for the administrator, every cycle's events for the
    other staff."""
    if cycle_pk is not None:
        cycle = get_cycle_or_404(user, cycle_pk)
        if not can_view_history(user, cycle):
            return None
        return AuditEvent.objects.filter(cycle=cycle)
    if user.institution_id is None:
        return None
    events = AuditEvent.objects.filter(institution_id=user.institution_id)
    if can_read_audit_trail(user):
        return events
    if is_staff_member(user):
        return events.filter(cycle__isnull=False)
    return None

"""Who reads which audit events. A cycle's events are its history page's (cycles.permissions
.can_view_history: the institution's staff); the whole trail of the institution — accounts,
settings, imports as well as every cycle's events, the chain a program verifies — is its
administrator's, who already sees the accounts those events are about."""

from audit.models import AuditEvent
from institutions.permissions import can_manage_people, is_staff_member


def can_read_audit_trail(user):
    """The institution's whole audit trail (its hash chain): its administrator."""
    return can_manage_people(user)


def audit_events_for(user):
    """The audit events `user` may read: the whole trail for the administrator, every
    cycle's events for the other staff (each cycle's history is theirs,
    cycles.permissions.can_view_history), none for anyone else."""
    if user.institution_id is None:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(institution_id=user.institution_id)
    if can_read_audit_trail(user):
        return events
    if is_staff_member(user):
        return events.filter(cycle__isnull=False)
    return AuditEvent.objects.none()

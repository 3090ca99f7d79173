from audit.models import AuditEvent


def target_of(obj):
    """A stable, readable reference to a model instance: "app_label.model:pk"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def record_event(action, *, by, institution=None, target=None, before=None, after=None, reason=""):
    """Append one audit event. Call inside the service's transaction so both land or neither."""
    if institution is None and by is not None:
        institution = by.institution
    return AuditEvent.objects.create(
        institution=institution,
        actor=by,
        action=action,
        target=target_of(target) if target is not None and hasattr(target, "_meta") else "",
        before=before,
        after=after,
        reason=reason,
    )

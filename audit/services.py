from audit.chain import append
from audit.models import AuditEvent


def target_of(obj):
    """A stable, readable reference to a model instance: "app_label.model:pk"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def cycle_id_of(target):
    """The cycle a target belongs to: the cycle itself, or the object's `cycle_id`."""
    if target is None:
        return None
    if target._meta.label_lower == "cycles.cycle":
        return target.pk
    return getattr(target, "cycle_id", None)


def record_event(action, *, by, institution=None, target=None, before=None, after=None, reason=""):
    """Append one audit event. Call inside the service's transaction so both land or neither.

    The event is filed under the target's cycle when it has one (see cycle_id_of), and
    appended to its institution's hash chain (audit.chain.append: it waits for another
    transaction appending to the same chain to end).
    """
    if institution is None and by is not None:
        institution = by.institution
    event = AuditEvent(
        institution=institution,
        cycle_id=cycle_id_of(target),
        actor=by,
        action=action,
        target=target_of(target) if target is not None and hasattr(target, "_meta") else "",
        before=before,
        after=after,
        reason=reason,
    )
    return append(event)


def apply_changes(obj, values, *, action, by, institution):
    """Set the fields in `values` that differ from `obj`'s, save only those (and
    `updated_at`), and record `action` with the changed fields before and after. Call inside
    the service's transaction, after its checks. Returns {field: new value} (empty when
    nothing changed: then nothing is saved or recorded).

    Call it with `obj`'s row locked (the services' _lock): the fields are compared with the
    row as it is now, not as the request read it, so the same edit sent twice at once (a
    double click) saves and records once."""
    obj.refresh_from_db(fields=list(values))
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if not changed:
        return changed
    before = {name: getattr(obj, name) for name in changed}
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.save(update_fields=[*changed, "updated_at"])
    record_event(action, by=by, institution=institution, target=obj, before=before, after=changed)
    return changed

"""Every write to a cycle's hasil evaluasi mandiri: the agreed level of each indicator,
finalizing and reopening the result, and entering the official national result; and the
institution's grants of read access to its results (the province view).

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction and writes an audit event.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.models import Assessment, Decision, NationalResult, ResultsGrant
from assessments.queries import live_result
from audit.services import record_event
from cycles.models import Cycle
from cycles.permissions import check_not_closed
from cycles.services import finish_step, start_step
from frameworks.scoring import FrameworkError, check_levels, index_str, score_from_values
from institutions.models import Institution
from monev.limits import LONG_TEXT_LENGTH, NOTE_LENGTH, check_length


def assessment_of(cycle):
    """The cycle's assessment, created on the first write (call inside a transaction)."""
    assessment, _created = Assessment.objects.get_or_create(cycle=cycle)
    assessment.cycle = cycle
    return assessment


def _locked(assessment):
    """Lock the assessment row (creating it when `assessment` is the unsaved one that
    queries.find_assessment gives before the first write) and refresh its state."""
    if assessment.pk is None:
        assessment.pk = assessment_of(assessment.cycle).pk
        assessment._state.adding = False
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    for name in ("status", "finalized_at", "finalized_by_id", "reopened_count"):
        setattr(assessment, name, getattr(fresh, name))
    return assessment


def final_error():
    return ValidationError(
        _("Hasil evaluasi sudah final; buka kembali dengan alasan untuk mengubahnya."),
        code="final",
    )


def _clean_text(value, label):
    value = (value or "").replace("\r\n", "\n").strip()
    return check_length(value, LONG_TEXT_LENGTH, label)


def _clean_level(framework, level):
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level)
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or not framework.scale_min <= level <= framework.scale_max
    ):
        raise ValidationError(
            _("Tingkat harus bilangan bulat antara %(min)s dan %(max)s.")
            % {"min": framework.scale_min, "max": framework.scale_max},
            code="level",
        )
    return level


def set_decision(assessment_or_cycle, indicator, *, by, level, fakta, analisis, evidence=None):
    """Set (or change) the agreed level of one indicator with its FAKTA and ANALISIS, and,
    when `evidence` is given, the data dukung chosen as proof (pieces of this cycle).

    Refused while the assessment is final, and in a closed cycle (FrozenError): see
    permissions.frozen_reason. Returns the Decision. Side effects: the
    Assessment row on the first decision; the Decision row; audit event
    "assessment.decision_set" with the level before and after. The same decision again (a
    double click, a retry) changes nothing.
    """
    cycle = (
        assessment_or_cycle if isinstance(assessment_or_cycle, Cycle) else assessment_or_cycle.cycle
    )
    if not permissions.can_decide(by, cycle):
        raise PermissionDenied
    framework = cycle.framework
    if indicator.framework_id != framework.pk or indicator.children.exists():
        raise ValidationError(
            _("Indikator bukan bagian dari kerangka periode ini."), code="indicator"
        )
    level = _clean_level(framework, level)
    fakta = _clean_text(fakta, _("FAKTA"))
    analisis = _clean_text(analisis, _("ANALISIS"))
    if evidence is not None:
        evidence = list(evidence)
        if any(piece.cycle_id != cycle.pk for piece in evidence):
            raise ValidationError(_("Data dukung harus berasal dari periode ini."), code="evidence")
    with transaction.atomic():
        assessment = _locked(assessment_of(cycle))
        check_not_closed(cycle)
        if assessment.is_final:
            raise final_error()
        decision = Decision.objects.filter(assessment=assessment, indicator=indicator).first()
        before = None
        if decision is None:
            decision = Decision(assessment=assessment, indicator=indicator)
        elif (decision.level, decision.fakta, decision.analisis) == (level, fakta, analisis) and (
            evidence is None
            or {piece.pk for piece in evidence}
            == set(decision.evidence.values_list("pk", flat=True))
        ):
            return decision
        else:
            before = {"level": decision.level}
        decision.level, decision.fakta, decision.analisis = level, fakta, analisis
        decision.decided_by, decision.decided_at = by, timezone.now()
        decision.save()
        if evidence is not None:
            decision.evidence.set(evidence)
        record_event(
            "assessment.decision_set",
            by=by,
            institution=cycle.institution,
            target=decision,
            before=before,
            after={
                "indicator": indicator.number,
                "level": level,
                "fakta_chars": len(fakta),
                "analisis_chars": len(analisis),
            },
        )
    return decision


def finalize_assessment(assessment, *, by):
    """Make the result final: no agreed level changes until it is reopened. Refused while
    any indicator has no agreed level (the message names their numbers).

    Side effects: status "final", finalized_at/by; audit event "assessment.finalized"
    with the index and the predicate; SOP step 6 finishes ("Hasil evaluasi mandiri
    disepakati") and step 7 starts, held by the coordinator (after a reopening, finalizing
    again leaves both steps as they were).
    """
    cycle = assessment.cycle
    if not permissions.can_finalize(by, cycle):
        raise PermissionDenied
    with transaction.atomic():
        _locked(assessment)
        if assessment.is_final:
            raise ValidationError(_("Hasil evaluasi sudah final."), code="final")
        result = live_result(assessment)
        if not result.complete:
            raise ValidationError(
                _(
                    "Belum dapat difinalkan: indikator %(numbers)s belum memiliki tingkat yang "
                    "disepakati."
                )
                % {"numbers": ", ".join(result.missing_numbers)},
                code="incomplete",
            )
        assessment.status = Assessment.Status.FINAL
        assessment.finalized_at = timezone.now()
        assessment.finalized_by = by
        assessment.save(update_fields=["status", "finalized_at", "finalized_by"])
        finish_step(cycle, 6, by=by, output=_("Hasil evaluasi mandiri disepakati"))
        start_step(cycle, 7, by=by, holder=by)
        record_event(
            "assessment.finalized",
            by=by,
            institution=cycle.institution,
            target=assessment,
            before={"status": Assessment.Status.DRAFT},
            after={
                "status": assessment.status,
                "index": str(result.index),
                "display": index_str(result.index),
                "rating": result.rating,
            },
        )
    return assessment


def reopen_assessment(assessment, *, by, reason):
    """Reopen a final result so that agreed levels can change again; the reason is required.
    Refused once the cycle is closed (FrozenError: nobody reopens a closed cycle). Reopening
    a result already reopened changes nothing (a double click).

    Side effects: status "draft", reopened_count + 1; audit event "assessment.reopened"
    with the reason and what it unfreezes (the agreed levels, and how many).
    """
    cycle = assessment.cycle
    if not permissions.can_finalize(by, cycle):
        raise PermissionDenied
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError(_("Tulis alasan pembukaan kembali."), code="reason_required")
    check_length(reason, NOTE_LENGTH, _("Alasan pembukaan kembali"))
    check_not_closed(cycle)
    with transaction.atomic():
        _locked(assessment)
        if not assessment.is_final and assessment.reopened_count:
            return assessment  # already reopened
        if not assessment.is_final:
            raise ValidationError(_("Hasil evaluasi belum final."), code="not_final")
        assessment.status = Assessment.Status.DRAFT
        assessment.reopened_count += 1
        assessment.save(update_fields=["status", "reopened_count"])
        record_event(
            "assessment.reopened",
            by=by,
            institution=cycle.institution,
            target=assessment,
            before={"status": Assessment.Status.FINAL},
            after={
                "status": assessment.status,
                "reopened_count": assessment.reopened_count,
                "unfreezes": {"decisions": assessment.decisions.count()},
            },
            reason=reason,
        )
    return assessment


def enter_national_result(assessment_or_cycle, *, by, levels=None, node_values=None, source=""):
    """Enter the official national result, replacing any entered before: `levels` maps
    indicator codes to whole levels, `node_values` maps domain/aspect (or any node) codes
    to the index printed in the official report. Either or both may be given.

    Returns the assessment. Side effects: the Assessment row if it did not exist; the
    NationalResult rows (all earlier rows deleted); audit event
    "assessment.national_result_entered" with the counts and the source.
    """
    cycle = (
        assessment_or_cycle if isinstance(assessment_or_cycle, Cycle) else assessment_or_cycle.cycle
    )
    if not permissions.can_enter_national_result(by, cycle):
        raise PermissionDenied
    levels, node_values = dict(levels or {}), dict(node_values or {})
    if not levels and not node_values:
        raise ValidationError(
            _("Isi setidaknya satu tingkat indikator atau nilai simpul."), code="empty"
        )
    overlap = sorted(set(levels) & set(node_values))
    source = _clean_text(source, _("Sumber"))[:300]
    spec = cycle.framework.spec()
    try:
        check_levels(spec, levels)
        score_from_values(spec, node_values)
    except FrameworkError as error:
        raise ValidationError(error.problems, code="values") from None
    if overlap:
        raise ValidationError(
            _("Simpul %(codes)s diisi dua kali.") % {"codes": ", ".join(overlap)},
            code="twice",
        )
    values = {code: Decimal(level) for code, level in levels.items()}
    values.update({code: Decimal(str(value)) for code, value in node_values.items()})
    nodes = {node.code: node for node in cycle.framework.nodes.filter(code__in=values)}
    now = timezone.now()
    with transaction.atomic():
        assessment = assessment_of(cycle)
        before = assessment.national_results.count()
        assessment.national_results.all().delete()
        NationalResult.objects.bulk_create(
            NationalResult(
                assessment=assessment,
                node=nodes[code],
                value=value,
                source=source,
                entered_by=by,
                entered_at=now,
            )
            for code, value in values.items()
        )
        record_event(
            "assessment.national_result_entered",
            by=by,
            institution=cycle.institution,
            target=assessment,
            before={"values": before},
            after={"levels": len(levels), "node_values": len(node_values), "source": source},
        )
    return assessment


# --- Read access to the results for another institution (the province view) ----------------


def grant_results_access(*, by, grantee):
    """Let `grantee` (another institution, e.g. the province) read the results of `by`'s
    institution: index, nodes and predicate of every cycle, never the OPDs' answers or
    evidence. Only the institution's administrator grants. Granting again while a grant is
    active returns that grant (a retry changes nothing).

    Returns the ResultsGrant. Side effects: the grant row; audit "results_grant.created".
    """
    grantor = by.institution
    if grantor is None or not permissions.can_grant_results(by, grantor):
        raise PermissionDenied
    if grantee.pk == grantor.pk:
        raise ValidationError(
            {"grantee": _("Instansi tidak perlu memberi akses kepada dirinya sendiri.")},
            code="self",
        )
    with transaction.atomic():
        # The grantor's row is the lock: two identical grants at once make one.
        Institution.objects.select_for_update().filter(pk=grantor.pk).first()
        grant = ResultsGrant.objects.filter(
            grantor=grantor, grantee=grantee, revoked_at__isnull=True
        ).first()
        if grant is not None:
            return grant
        grant = ResultsGrant.objects.create(grantor=grantor, grantee=grantee, granted_by=by)
        record_event(
            "results_grant.created",
            by=by,
            institution=grantor,
            target=grant,
            after={"grantee": grantee.pk, "grantee_name": grantee.name},
        )
    return grant


def revoke_results_access(grant, *, by):
    """End a grant: the grantee reads the results no more (404). Only the grantor's
    administrator revokes; revoking a revoked grant changes nothing.

    Returns the ResultsGrant. Side effects (first time only): revoked_at; audit
    "results_grant.revoked".
    """
    if not permissions.can_grant_results(by, grant.grantor):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        revoked = ResultsGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if not revoked:
            grant.refresh_from_db(fields=["revoked_at"])
            return grant
        grant.revoked_at = now
        record_event(
            "results_grant.revoked",
            by=by,
            institution=grant.grantor,
            target=grant,
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat()},
        )
    return grant

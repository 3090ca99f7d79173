"""The cycle's evaluator team: the decree (Surat Keputusan) that forms the "Tim Koordinasi
dan Kelompok Kerja Evaluator Internal SPBE" and its members (cycles.models.TeamDecree,
TeamMember).

What official documents print (the Surat Edaran, the meeting invitation, the Berita Acara,
the Dokumen Evaluasi, the SOP sheet): `decree_citation(cycle)` and `decree_fields(cycle)`.

The rule for citing: only a CONFIRMED decree is cited. A decree is confirmed by the
coordinator once its issuer, number, date and title are filled in; a decree carried from
last year's cycle starts as a draft and is not cited until someone has checked it and
confirmed it. Any later change to the decree's words or members puts it back to draft
(it must be confirmed again): a document never cites words nobody confirmed. Uploading or
replacing the signed PDF does not change what is cited, so it keeps the status.

The writes below: one function per state change, each checking permission (the
coordinator or the administrator of the institution) and that the cycle is not closed, in
one transaction with an audit event.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cycles import permissions
from cycles.models import Cycle, TeamDecree, TeamMember
from documents.formal import region_name, tanggal
from documents.signing import check_signed_pdf
from institutions.models import Institution

# The head of a regional government, who issues the decree: (prefix of the region's name,
# the title). Printed in Indonesian whatever the UI language.
REGION_HEADS = {
    Institution.Kind.CITY: ("Kota ", "Wali Kota"),
    Institution.Kind.REGENCY: ("Kabupaten ", "Bupati"),
    Institution.Kind.PROVINCE: ("Provinsi ", "Gubernur"),
}
# The order of the roles in a decree's list, within each group.
ROLE_ORDER = [choice.value for choice in TeamMember.Role]


# --- What documents print ------------------------------------------------------------------


def citable_decree(cycle):
    """The cycle's decree when it may be cited (confirmed, with a number), else None. Uses
    a prefetched/selected `team_decree` when present, else one query."""
    try:
        decree = cycle.team_decree
    except TeamDecree.DoesNotExist:
        return None
    if decree.status != TeamDecree.Status.CONFIRMED or not decree.number:
        return None
    return decree


def citation_of(decree):
    """ "Keputusan Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi ..."."""
    return f"Keputusan {decree.issuer} Nomor {decree.number} tentang {decree.title}"


def decree_citation(cycle):
    """The words official documents print to cite the cycle's team decree, e.g. "Keputusan
    Wali Kota Pontianak Nomor 162/DKI/Tahun 2020 tentang Tim Koordinasi dan Kelompok Kerja
    Evaluator Internal Sistem Pemerintahan Berbasis Elektronik Kota Pontianak"; "" when the
    cycle has no confirmed decree (callers then print nothing / their old wording)."""
    decree = citable_decree(cycle)
    return citation_of(decree) if decree is not None else ""


def decree_fields(cycle):
    """Plain data of the confirmed decree for templates and Word: {"issuer", "number",
    "date" (a date or None), "date_text" ("2 Januari 2020"), "title", "citation"}; None when
    the cycle has no confirmed decree."""
    decree = citable_decree(cycle)
    if decree is None:
        return None
    return {
        "issuer": decree.issuer,
        "number": decree.number,
        "date": decree.date,
        "date_text": tanggal(decree.date),
        "title": decree.title,
        "citation": citation_of(decree),
    }


def default_issuer(institution):
    """ "Wali Kota Pontianak" for "Pemerintah Kota Pontianak" (the head of the region: Wali
    Kota, Bupati, Gubernur); "" for an institution that is not a regional government."""
    if institution.kind not in REGION_HEADS:
        return ""
    prefix, head = REGION_HEADS[institution.kind]
    region = region_name(institution)
    place = region[len(prefix) :] if region.startswith(prefix) else region
    return f"{head} {place}"


def default_title(institution):
    """The usual "tentang" of the decree, for a new one."""
    return (
        "Tim Koordinasi dan Kelompok Kerja Evaluator Internal Sistem Pemerintahan Berbasis "
        f"Elektronik {region_name(institution)}"
    )


# --- What pages show ------------------------------------------------------------------------


def grouped(members):
    """[(group label, [members])] in the decree's order: the Tim Koordinasi SPBE, then the
    Kelompok Kerja Evaluator Internal; empty groups left out."""
    by_group = {value: [] for value in TeamMember.Group.values}
    for member in members:
        by_group.setdefault(member.group, []).append(member)
    labels = dict(TeamMember.Group.choices)
    return [(labels.get(group, group), rows) for group, rows in by_group.items() if rows]


def decree_state(cycle):
    """What the cycle page and the SOP sheet say about the decree: {"decree", "citation"
    (only when confirmed), "members" (count), "state": "missing" | "carried" | "draft" |
    "confirmed"}. One query."""
    decree = (
        TeamDecree.objects.filter(cycle_id=cycle.pk).annotate(member_count=Count("members")).first()
    )
    if decree is None:
        return {"decree": None, "citation": "", "members": 0, "state": "missing"}
    if decree.is_confirmed:
        state = "confirmed"
    elif decree.carried_from_year:
        state = "carried"
    else:
        state = "draft"
    return {
        "decree": decree,
        "citation": citation_of(decree) if decree.is_confirmed and decree.number else "",
        "members": decree.member_count,
        "state": state,
    }


# --- Writes --------------------------------------------------------------------------------


def _check_editable(cycle, by):
    if not permissions.can_edit_team(by, cycle):
        raise PermissionDenied
    permissions.check_not_closed(cycle)


def _lock(decree):
    """Lock the decree's row and read it again into `decree` (the caller's object stays
    the one that is saved, so it shows the change afterwards)."""
    decree.refresh_from_db(from_queryset=TeamDecree.objects.select_for_update())
    return decree


def _back_to_draft(decree):
    """A change to a confirmed decree's words or members: it must be confirmed again."""
    if decree.status == TeamDecree.Status.CONFIRMED:
        decree.status = TeamDecree.Status.DRAFT
        decree.confirmed_at = None
        decree.confirmed_by = None
        decree.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
        return True
    return False


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def save_decree(cycle, *, by, issuer, number, date, title):
    """Create or change the cycle's decree (issuer, number, date, title). A changed
    confirmed decree goes back to draft. Refused (ValidationError) without issuer or title.
    Side effects: audit "team.decree_saved" with the changed fields (none recorded when
    nothing changed). Returns the decree."""
    _check_editable(cycle, by)
    values = {
        "issuer": issuer.strip(),
        "number": number.strip(),
        "date": date,
        "title": title.strip(),
    }
    missing = [
        label
        for field, label in [("issuer", _("pejabat yang menetapkan")), ("title", _("tentang"))]
        if not values[field]
    ]
    if missing:
        raise ValidationError(
            _("Lengkapi %(fields)s.") % {"fields": ", ".join(missing)}, code="required"
        )
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        decree = TeamDecree.objects.filter(cycle=cycle).first()
        if decree is None:
            decree = TeamDecree.objects.create(cycle=cycle, **values)
            record_event(
                "team.decree_saved",
                by=by,
                institution=cycle.institution,
                target=decree,
                after={name: _plain(value) for name, value in values.items()},
            )
            return decree
        changed = {name: value for name, value in values.items() if getattr(decree, name) != value}
        if not changed:
            return decree
        before = {name: _plain(getattr(decree, name)) for name in changed}
        for name, value in changed.items():
            setattr(decree, name, value)
        decree.save(update_fields=[*changed, "updated_at"])
        unconfirmed = _back_to_draft(decree)
        record_event(
            "team.decree_saved",
            by=by,
            institution=cycle.institution,
            target=decree,
            before=before,
            after={
                **{name: _plain(value) for name, value in changed.items()},
                **({"status": decree.status} if unconfirmed else {}),
            },
        )
    return decree


def upload_decree_pdf(decree, signed_pdf, *, by):
    """Store the decree's signed PDF (checked by content: documents.signing.check_signed_pdf;
    ValidationError "Berkas tanda tangan harus PDF." otherwise) under a generated name, with
    its SHA-256. A replaced file is deleted after the commit. The status stays. Side effects:
    audit "team.decree_pdf_uploaded" (before/after sha256)."""
    _check_editable(decree.cycle, by)
    sha256 = check_signed_pdf(signed_pdf)
    stored = None
    try:
        with transaction.atomic():
            _lock(decree)
            old_name, old_sha = decree.signed_file.name, decree.signed_file_sha256
            decree.signed_file.save(f"{uuid.uuid4().hex}.pdf", signed_pdf, save=False)
            stored = decree.signed_file.name
            decree.signed_file_sha256 = sha256
            decree.save(update_fields=["signed_file", "signed_file_sha256", "updated_at"])
            record_event(
                "team.decree_pdf_uploaded",
                by=by,
                institution=decree.cycle.institution,
                target=decree,
                before={"sha256": old_sha} if old_sha else None,
                after={"sha256": sha256},
            )
            if old_name:
                storage = decree.signed_file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        if stored:
            decree.signed_file.storage.delete(stored)
        raise
    return decree


def _member_values(decree, *, role, group, name="", nip="", position="", agency=None, user=None):
    institution_id = decree.cycle.institution_id
    if agency is not None and agency.institution_id != institution_id:
        raise PermissionDenied
    if user is not None and user.institution_id != institution_id:
        raise PermissionDenied
    if user is not None:
        name = name.strip() or user.get_full_name() or user.username
        nip = nip.strip() or user.nip
        position = position.strip() or user.position
    values = {
        "name": name.strip(),
        "nip": nip.strip(),
        "position": position.strip(),
        "agency": agency,
        "role": role,
        "group": group,
        "user": user,
    }
    if not values["name"]:
        raise ValidationError(_("Isi nama anggota atau pilih akun pengguna."), code="required")
    if role not in TeamMember.Role.values:
        raise ValidationError(_("Kedudukan dalam tim tidak dikenal."), code="role")
    if group not in TeamMember.Group.values:
        raise ValidationError(_("Kelompok tim tidak dikenal."), code="group")
    return values


def member_record(member):
    """A member as plain data (the audit's record, the edit form's initial values)."""
    return {
        "name": member.name,
        "nip": member.nip,
        "position": member.position,
        "agency": member.agency_id,
        "role": member.role,
        "group": member.group,
        "order": member.order,
        "user": member.user_id,
    }


def add_member(decree, *, by, order=None, **fields):
    """Add a member to the decree. `fields`: role and group (TeamMember.Role / Group
    values), and either a user account of the institution (`user`: its name, NIP and
    position fill what is left empty) or a typed `name`, with `nip`, `position` and `agency`
    (an OPD of the institution) optional. `order` None puts the member last in their
    group. A confirmed decree goes back to draft. Side effects: audit "team.member_added".
    Returns the member."""
    _check_editable(decree.cycle, by)
    values = _member_values(decree, **fields)
    with transaction.atomic():
        _lock(decree)
        if order is None:
            last = (
                decree.members.filter(group=values["group"])
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            order = (last or 0) + 1
        member = TeamMember.objects.create(decree=decree, order=order, **values)
        unconfirmed = _back_to_draft(decree)
        record_event(
            "team.member_added",
            by=by,
            institution=decree.cycle.institution,
            target=decree,
            after={**member_record(member), **({"status": decree.status} if unconfirmed else {})},
        )
    return member


def edit_member(member, *, by, order, **fields):
    """Change a member (`fields` as add_member's; `order` its place in its group). A
    confirmed decree goes back to draft when anything changed. Side effects: audit
    "team.member_edited" (before/after; none when nothing changed)."""
    decree = member.decree
    _check_editable(decree.cycle, by)
    values = _member_values(decree, **fields)
    values["order"] = order
    with transaction.atomic():
        _lock(decree)
        member.refresh_from_db()
        before = member_record(member)
        for field, value in values.items():
            setattr(member, field, value)
        after = member_record(member)
        if before == after:
            return member
        member.save()
        unconfirmed = _back_to_draft(decree)
        changed = [key for key in after if after[key] != before[key]]
        record_event(
            "team.member_edited",
            by=by,
            institution=decree.cycle.institution,
            target=decree,
            before={"member": member.pk, **{key: before[key] for key in changed}},
            after={
                "member": member.pk,
                **{key: after[key] for key in changed},
                **({"status": decree.status} if unconfirmed else {}),
            },
        )
    return member


def remove_member(member, *, by):
    """Remove a member. A confirmed decree goes back to draft. Side effects: audit
    "team.member_removed" with what the member was."""
    decree = member.decree
    _check_editable(decree.cycle, by)
    with transaction.atomic():
        _lock(decree)
        record = member_record(member)
        member.delete()
        unconfirmed = _back_to_draft(decree)
        record_event(
            "team.member_removed",
            by=by,
            institution=decree.cycle.institution,
            target=decree,
            before=record,
            after={"status": decree.status} if unconfirmed else None,
        )


def confirm_decree(decree, *, by):
    """Confirm the decree: from now on documents cite it (decree_citation). Refused
    (ValidationError) without a number, a date, or any member; confirming a confirmed
    decree again changes nothing. Side effects: status "confirmed", confirmed_at/by; audit
    "team.decree_confirmed"."""
    _check_editable(decree.cycle, by)
    with transaction.atomic():
        _lock(decree)
        if decree.status == TeamDecree.Status.CONFIRMED:
            return decree
        missing = [
            label
            for present, label in [
                (decree.issuer, _("pejabat yang menetapkan")),
                (decree.number, _("nomor")),
                (decree.date, _("tanggal penetapan")),
                (decree.title, _("tentang")),
            ]
            if not present
        ]
        if missing:
            raise ValidationError(
                _("Sebelum dikonfirmasi, lengkapi %(fields)s SK.") % {"fields": ", ".join(missing)},
                code="required",
            )
        if not decree.members.exists():
            raise ValidationError(
                _("Sebelum dikonfirmasi, tambahkan anggota tim sesuai SK."), code="members"
            )
        decree.status = TeamDecree.Status.CONFIRMED
        decree.confirmed_at = timezone.now()
        decree.confirmed_by = by
        decree.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
        record_event(
            "team.decree_confirmed",
            by=by,
            institution=decree.cycle.institution,
            target=decree,
            before={"status": TeamDecree.Status.DRAFT},
            after={"status": decree.status, "number": decree.number},
        )
    return decree


def carry_decree(cycle, source, *, by):
    """Copy `source`'s decree (a cycle of the year before, or the one `cycle` was copied
    from) and its members into `cycle` as a DRAFT to confirm; the signed PDF is not copied
    (this year's decree is signed again, or the same one is uploaded again). Nothing when
    `source` is None, has no decree, or `cycle` has one already. Called inside open_cycle's
    transaction. Side effects: audit "team.decree_carried". Returns the new decree or None."""
    if source is None or TeamDecree.objects.filter(cycle=cycle).exists():
        return None
    old = TeamDecree.objects.filter(cycle=source).first()
    if old is None:
        return None
    decree = TeamDecree.objects.create(
        cycle=cycle,
        issuer=old.issuer,
        number=old.number,
        date=old.date,
        title=old.title,
        carried_from_year=source.year,
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            decree=decree,
            name=member.name,
            nip=member.nip,
            position=member.position,
            agency_id=member.agency_id,
            role=member.role,
            group=member.group,
            order=member.order,
            user_id=member.user_id,
        )
        for member in old.members.all()
    )
    record_event(
        "team.decree_carried",
        by=by,
        institution=cycle.institution,
        target=decree,
        after={"from_year": source.year, "number": old.number, "members": decree.members.count()},
    )
    return decree

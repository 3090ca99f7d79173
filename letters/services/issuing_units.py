"""The institution's issuing units (letters.models.IssuingUnit): the units with their own
letter number register and kop, e.g. the Sekretariat Daerah that numbers the Surat Edaran.
Set by the institution's administrator."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import apply_changes, record_event
from letters import permissions
from letters.models import IssuingUnit
from letters.services.numbering import format_letter_number
from monev.limits import NOTE_LENGTH, check_length

FIELDS = ["name", "code", "letter_number_format", "letterhead", "address", "is_secretariat"]


def _clean(values):
    cleaned = {
        name: values[name].strip() if isinstance(values[name], str) else bool(values[name])
        for name in FIELDS
    }
    for name in ("letterhead", "address"):
        cleaned[name] = "\n".join(
            line.strip() for line in cleaned[name].splitlines() if line.strip()
        )
    missing = [
        label
        for name, label in [
            ("name", _("nama unit")),
            ("code", _("kode")),
            ("letter_number_format", _("format nomor surat")),
        ]
        if not cleaned[name]
    ]
    if missing:
        raise ValidationError(
            _("Lengkapi %(fields)s.") % {"fields": ", ".join(missing)}, code="required"
        )
    check_length(cleaned["letterhead"], NOTE_LENGTH, _("Baris kop surat"))
    check_length(cleaned["address"], NOTE_LENGTH, _("Alamat dan kontak pada kop"))
    pattern = cleaned["letter_number_format"]
    if "{seq}" not in pattern:
        raise ValidationError(
            _(
                "Format nomor surat harus memuat {seq} (nomor urut), "
                "mis. 800/{seq}/Setda-Org/{year}."
            ),
            code="number_format",
        )
    probe = IssuingUnit(letter_number_format=pattern, name=cleaned["name"])
    format_letter_number(None, seq=1, year=2000, unit=probe)  # ValidationError when broken
    return cleaned


def save_issuing_unit(institution, *, by, unit=None, **values):
    """Add an issuing unit to the institution (unit None) or change `unit`. `values`: the
    fields of FIELDS. At most one unit is the secretariat; codes are unique per institution.

    Side effects: audit "letter.issuing_unit_created" (the values) or
    "letter.issuing_unit_updated" (the changed fields before and after). Numbers already
    given keep their text; the next number of the unit's register takes the new format.
    """
    if not permissions.can_manage_issuing_units(by, institution):
        raise PermissionDenied
    if unit is not None and unit.institution_id != institution.pk:
        raise PermissionDenied
    cleaned = _clean(values)
    others = IssuingUnit.objects.filter(institution=institution).exclude(
        pk=unit.pk if unit else None
    )
    if others.filter(code__iexact=cleaned["code"]).exists():
        raise ValidationError(
            _("Kode %(code)s sudah dipakai unit lain.") % {"code": cleaned["code"]},
            code="code_taken",
        )
    secretariat = others.filter(is_secretariat=True).first()
    if cleaned["is_secretariat"] and secretariat is not None:
        raise ValidationError(
            _(
                "%(unit)s sudah ditandai sebagai Sekretariat Daerah. Hapus tanda itu di sana "
                "lebih dahulu."
            )
            % {"unit": secretariat.name},
            code="secretariat_taken",
        )
    try:
        with transaction.atomic():
            if unit is None:
                unit = IssuingUnit.objects.create(institution=institution, **cleaned)
                record_event(
                    "letter.issuing_unit_created",
                    by=by,
                    institution=institution,
                    target=unit,
                    after=cleaned,
                )
            else:
                apply_changes(
                    unit,
                    cleaned,
                    action="letter.issuing_unit_updated",
                    by=by,
                    institution=institution,
                )
    except IntegrityError:  # the same code or a second secretariat, saved a moment ago
        raise ValidationError(
            _("Unit dengan kode ini atau unit Sekretariat Daerah sudah ada."), code="taken"
        ) from None
    return unit

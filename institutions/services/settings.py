"""The institution's own settings (Pengaturan instansi): the kop lines, the address and
contacts printed on every official document, and the region's coat of arms (lambang daerah)
at the left of every kop. Each public function is one transaction with an audit event.

The coat of arms is checked by its content, never by its name: a PNG that Pillow opens and
verifies (at most 2 MB and 4000 px a side), or an SVG parsed as XML whose root is <svg> and
that holds no script, no event handler attribute (on...), no <foreignObject> and no
reference outside itself (an href or url() that is not "#..." or "data:image/..."). It is
stored under a generated name with the extension of what it is.
"""

import io
import re
import xml.etree.ElementTree as ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from audit.services import record_event
from institutions import permissions
from institutions.models import Institution

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000  # a side
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# What the settings page edits besides the logo (all printed on the kop).
SETTINGS_FIELDS = ("letterhead", "address", "city", "phone", "email", "website")

_URL_IN_CSS = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def _refuse(message, code):
    return ValidationError({"logo": ValidationError(message, code=code)})


def check_logo(upload):
    """The checked content of an uploaded coat of arms: (bytes, "png" or "svg"). Raises
    ValidationError on the field `logo` with a message for the administrator otherwise."""
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise _refuse(_("Berkas lambang melebihi 2 MB."), "too_large")
    upload.seek(0)
    data = upload.read(MAX_LOGO_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_LOGO_BYTES:
        raise _refuse(_("Berkas lambang melebihi 2 MB."), "too_large")
    if data.startswith(PNG_MAGIC):
        _check_png(data)
        return data, "png"
    _check_svg(data)
    return data, "svg"


def _check_png(data):
    not_png = _refuse(_("Berkas PNG lambang rusak atau tidak dapat dibaca."), "bad_png")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise not_png
            width, height = image.size
            if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
                raise _refuse(
                    _(
                        "Gambar lambang paling besar %(max)s × %(max)s piksel "
                        "(berkas ini %(w)s × %(h)s)."
                    )
                    % {"max": MAX_LOGO_PIXELS, "w": width, "h": height},
                    "too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_png from None


def _local(name):
    """An XML name without its namespace: "{http://www.w3.org/2000/svg}svg" -> "svg"."""
    return name.rsplit("}", 1)[-1]


def _external(reference):
    reference = reference.strip()
    return bool(reference) and not reference.startswith(("#", "data:image/"))


def _check_svg(data):
    not_image = _refuse(_("Lambang harus berupa gambar PNG atau SVG."), "not_image")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_image from None
    # Entities (the billion laughs) and external DTDs: an SVG logo needs neither.
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise _refuse(_("SVG lambang tidak boleh memuat deklarasi DOCTYPE atau ENTITY."), "doctype")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise not_image from None
    if _local(root.tag) != "svg":
        raise _refuse(_("Berkas SVG lambang harus berakar pada elemen <svg>."), "not_svg")
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag == "script":
            raise _refuse(_("SVG lambang tidak boleh memuat skrip (<script>)."), "script")
        if tag == "foreignObject":
            raise _refuse(_("SVG lambang tidak boleh memuat <foreignObject>."), "foreign_object")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.lower().startswith("on"):
                raise _refuse(
                    _("SVG lambang tidak boleh memuat atribut peristiwa (%(name)s).")
                    % {"name": attribute},
                    "event_handler",
                )
            references = _URL_IN_CSS.findall(value)
            if attribute == "href":
                references.append(value)
            _check_references(references)
        if tag == "style":
            _check_references(_URL_IN_CSS.findall(element.text or ""))
            if "@import" in (element.text or "").lower():
                _check_references(["@import"])


def _check_references(references):
    for reference in references:
        if _external(reference):
            raise _refuse(
                _("SVG lambang tidak boleh merujuk berkas lain (%(ref)s).")
                % {"ref": reference.strip()[:80]},
                "external_reference",
            )


def _lock(institution):
    return Institution.objects.select_for_update().get(pk=institution.pk)


def update_settings(institution, *, by, values, logo=None):
    """Save the kop lines, address and contacts in `values` (SETTINGS_FIELDS) and, when
    `logo` (an uploaded file) is given, the new coat of arms, after check_logo.

    Side effects: audit event "institution.updated" (the changed fields, before and after)
    when a field changed; the logo stored under a generated name and audit event
    "institution.logo_changed" (its size and type) when one is given; the previous logo file
    is deleted after the commit. Nothing is written when the logo is refused. Only the
    institution's administrator (PermissionDenied otherwise).
    """
    if not permissions.can_manage_institution(by, institution):
        raise PermissionDenied
    checked = check_logo(logo) if logo is not None else None
    stored_name = None
    try:
        with transaction.atomic():
            row = _lock(institution)
            changed = {
                name: values[name]
                for name in SETTINGS_FIELDS
                if name in values and getattr(row, name) != values[name]
            }
            before = {name: getattr(row, name) for name in changed}
            for name, value in changed.items():
                setattr(row, name, value)
            update_fields = list(changed)
            old_name = row.logo.name
            if checked is not None:
                data, extension = checked
                row.logo.save(f"logo.{extension}", ContentFile(data), save=False)
                stored_name = row.logo.name
                update_fields.append("logo")
            if update_fields:
                row.save(update_fields=update_fields)
            if changed:
                record_event(
                    "institution.updated",
                    by=by,
                    institution=row,
                    target=row,
                    before=before,
                    after=changed,
                )
            if checked is not None:
                record_event(
                    "institution.logo_changed",
                    by=by,
                    institution=row,
                    target=row,
                    before={"logo": bool(old_name)},
                    after={"logo": True, "type": checked[1], "size": len(checked[0])},
                )
                if old_name:
                    transaction.on_commit(lambda: row.logo.storage.delete(old_name))
    except Exception:
        if stored_name:
            institution.logo.storage.delete(stored_name)
        raise
    _copy(row, institution)
    return institution


def remove_logo(institution, *, by):
    """Remove the coat of arms: the kops print without it from now on (documents already
    generated keep theirs). Side effects: audit event "institution.logo_removed"; the file
    deleted after the commit. Does nothing when there is none. Only the institution's
    administrator (PermissionDenied otherwise)."""
    if not permissions.can_manage_institution(by, institution):
        raise PermissionDenied
    with transaction.atomic():
        row = _lock(institution)
        old_name = row.logo.name
        if not old_name:
            return institution
        row.logo = ""
        row.save(update_fields=["logo"])
        record_event(
            "institution.logo_removed",
            by=by,
            institution=row,
            target=row,
            before={"logo": True},
            after={"logo": False},
        )
        transaction.on_commit(lambda: row.logo.storage.delete(old_name))
    _copy(row, institution)
    return institution


def _copy(row, institution):
    """The saved values onto the caller's instance (e.g. request.user.institution)."""
    for name in (*SETTINGS_FIELDS, "logo"):
        setattr(institution, name, getattr(row, name))
    institution.__dict__.pop("_logo_data_uri", None)

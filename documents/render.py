"""Turning templates into files: PDF from Django HTML templates (WeasyPrint), DOCX from Word
templates (docxtpl) rendered in a Jinja sandbox.

Both are pure functions of a template and a context: no database access, no network.
"""

import base64
import binascii
import datetime
import decimal
import io
from collections.abc import Mapping
from pathlib import Path
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate, InlineImage
from jinja2 import BaseLoader, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from PIL import Image

from documents.formal import tanggal

# --- PDF -----------------------------------------------------------------------------------


def static_roots():
    """The folders a PDF template may read files from (images, stylesheets)."""
    roots = [
        entry[1] if isinstance(entry, tuple | list) else entry
        for entry in settings.STATICFILES_DIRS
    ]
    if settings.STATIC_ROOT:
        roots.append(settings.STATIC_ROOT)
    return [Path(root).resolve() for root in roots]


class StaticFilesURLFetcher(weasyprint.URLFetcher):
    """Lets WeasyPrint read data: URLs and files under the static folders, nothing else.

    Documents are generated from data users typed; a stray <img src="http://..."> must never
    make the server fetch from the network (or an intranet address), nor read /etc/passwd.
    WeasyPrint treats a refused URL as a missing resource and renders without it.
    """

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(url.split("?", 1)[0].removeprefix("file:"))).resolve()
            if any(path.is_relative_to(root) for root in static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"URL not allowed in generated documents: {url}")


def render_pdf(template_name, context):
    """Render a Django HTML template to PDF bytes.

    Fonts come from the system (fontconfig: Liberation, DejaVu); the page size is set by the
    template's CSS @page rule. Relative URLs resolve against the first static folder.
    """
    html = render_to_string(template_name, context)
    roots = static_roots()
    base_url = roots[0].as_uri() + "/" if roots else None
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticFilesURLFetcher())
    return document.write_pdf()


# --- DOCX ----------------------------------------------------------------------------------


class NoTemplateLoader(BaseLoader):
    """{% include %}, {% import %} and {% extends %} could name any file; a Word template is
    one file and reads nothing else."""

    def get_source(self, environment, template):
        raise SecurityError(f"loading another template or file is not allowed: {template!r}")


class DocxSandbox(ImmutableSandboxedEnvironment):
    def unsafe_undefined(self, obj, attribute):
        # Jinja's sandbox prints an unsafe attribute ({{ ''.__class__ }}) as nothing and
        # raises only on further use; a template that tries must be refused outright.
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe."
        )


def docx_environment():
    """The Jinja environment for Word templates.

    Sandboxed because an institution can upload its own template: attribute access is limited
    to public, harmless attributes (no `__class__`, no `__globals__`; trying raises
    SecurityError), immutable so a template cannot change the data it is given, and without
    a loader, so it cannot include another file. The sandbox keeps a template away from data
    and code; it does not bound CPU or memory (a template can still loop for long).
    """
    env = DocxSandbox(autoescape=True, loader=NoTemplateLoader())
    env.filters["tanggal"] = tanggal
    # lipsum(n=...) can build arbitrarily large text; a letter has no use for it.
    env.globals.pop("lipsum", None)
    return env


PLAIN_TYPES = (
    str,
    int,
    float,
    bool,
    decimal.Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    type(None),
)


def plain(value):
    """A copy of a context made of dicts, lists, strings, numbers and dates only.

    Whatever a caller passes (a model instance, a lazy translation), the Word template sees
    its text, never an object with a route to the database or settings.
    """
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, PLAIN_TYPES):
        return value
    return str(value)


def _template_source(template):
    """A path, bytes, or a binary file object, as something docxtpl can open."""
    if isinstance(template, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(template))
    if isinstance(template, str | Path):
        return str(template)
    template.seek(0)
    return io.BytesIO(template.read())


# The placeholder of the coat of arms in a Word kop (documents/docx/build_templates.py
# letterhead): render_docx puts it in every context, a picture or "".
LOGO_IMAGE = "letterhead_logo_image"
LOGO_SIZE = Cm(2.6)  # the longer side, as on the PDF kop (documents/house.css)
PNG_DATA_URI = "data:image/png;base64,"
# The height of the kop's lines in Word (single spacing of Arial: 1.15 × the font size):
# the title, each other kop line, each contact line.
KOP_LINE_HEIGHTS = (Pt(17.25), Pt(15), Pt(10.35))


class KopLogo(InlineImage):
    """The coat of arms as a picture anchored at the left margin, level with the kop lines
    (its bottom with their last line when it is the taller, else centred on them), the
    lines running on as if it were not there: they are centred on the page and indented
    clear of it by the template. `offset`: from the top of the title's paragraph, in EMU
    ("paragraph", not "line": LibreOffice reads a line's offsets upwards, Word downwards)."""

    def __init__(self, tpl, image_descriptor, *, offset, **size):
        super().__init__(tpl, image_descriptor, **size)
        self.offset = int(offset)

    def _insert_image(self):
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height
        )
        anchor = parse_xml(
            f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" '
            'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" '
            'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{self.offset}</wp:posOffset>'
            "</wp:positionV></wp:anchor>"
        )
        extent, doc_pr, frame, graphic = list(inline)
        anchor.append(extent)
        anchor.append(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
        anchor.append(parse_xml(f"<wp:wrapNone {nsdecls('wp')}/>"))
        for child in (doc_pr, frame, graphic):
            anchor.append(child)
        drawing = etree.tostring(anchor, encoding="unicode")
        return (
            f"</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r>"
            '<w:t xml:space="preserve">'
        )


def logo_image(template, context):
    """The coat of arms of `context` (its `letterhead_logo`, or its institution's `logo`: a
    data: URI as documents.letters.letterhead_logo gives) as a KopLogo of `template`, its
    longer side 2.6 cm; "" when there is none or it is not a PNG (Word gets no SVG)."""
    institution = context.get("institution")
    uri = context.get("letterhead_logo") or (
        institution.get("logo") if isinstance(institution, Mapping) else ""
    )
    if not isinstance(uri, str) or not uri.startswith(PNG_DATA_URI):
        return ""
    try:
        data = base64.b64decode(uri.removeprefix(PNG_DATA_URI), validate=True)
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (binascii.Error, OSError, ValueError):
        return ""
    if height >= width:
        size = {"height": LOGO_SIZE}
        logo_height = LOGO_SIZE
    else:
        size = {"width": LOGO_SIZE}
        logo_height = int(LOGO_SIZE * height / width)
    title, line, contact = KOP_LINE_HEIGHTS
    rest = context.get("letterhead_rest") or []
    contacts = context.get("contact_lines") or []
    lines = title + line * len(rest) + contact * len(contacts)
    offset = lines - logo_height if lines <= logo_height else (lines - logo_height) // 2
    return KopLogo(template, io.BytesIO(data), offset=offset, **size)


def render_docx(template_path, context):
    """Render a docxtpl Word template (a path, bytes or binary file) to DOCX bytes.

    Besides `context`, the template sees `letterhead_logo_image` (logo_image: the coat of
    arms, or ""). Raises jinja2's TemplateError (SecurityError, TemplateSyntaxError, ...)
    when the template is broken or reaches for something it may not.
    """
    template = DocxTemplate(_template_source(template_path))
    values = plain(context)
    values[LOGO_IMAGE] = logo_image(template, values)
    template.render(values, jinja_env=docx_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _near(exc):
    """The template text around a Jinja error, as docxtpl recorded it, on one line."""
    lines = [line.strip() for line in getattr(exc, "docx_context", None) or []]
    return " ".join(line for line in lines if line)[:200]


def check_docx_template(template, *, context=None):
    """The problems of a Word template, as messages for the person who uploaded it.

    Renders the template against `context` (by default the sample letter of
    documents.letters) and opens the result again. Returns [] when the template is usable.
    """
    if context is None:
        # Imported here: documents.letters builds on this module.
        from documents.letters import sample_render_context

        context = sample_render_context()
    try:
        source = _template_source(template)
        probe = DocxTemplate(source)
        probe.init_docx()
    except Exception:
        return [_("Berkas bukan dokumen Word (.docx) yang dapat dibaca.")]

    try:
        rendered = render_docx(template, context)
    except TemplateSyntaxError as exc:
        return [_syntax_message(exc)]
    except SecurityError as exc:
        return [
            _("Templat mencoba mengakses sesuatu yang tidak diizinkan: %(error)s") % {"error": exc}
        ]
    except UndefinedError as exc:
        # {{ settings.SECRET_KEY }}: say that `settings` does not exist, not Jinja's words.
        return _unknown_placeholders(probe, context) or [
            _("Isian tidak dapat diisi: %(error)s") % {"error": exc}
        ]
    except TemplateError as exc:
        return [_("Templat tidak dapat diisi: %(error)s") % {"error": exc}]
    except (OverflowError, MemoryError, RecursionError):
        return [_("Templat membuat hasil yang terlalu besar (perulangan terlalu panjang).")]
    except Exception:
        return [_invalid_result_message()]

    # A misspelt placeholder renders as nothing; name it rather than print an empty field.
    errors = _unknown_placeholders(probe, context)
    try:
        WordDocument(io.BytesIO(rendered))
    except Exception:
        errors.append(_invalid_result_message())
    return errors


def _unknown_placeholders(probe, context):
    """Messages naming the top-level placeholders of a template that `context` lacks."""
    env = docx_environment()
    try:
        used = probe.get_undeclared_template_variables(jinja_env=env)
    except Exception:
        return []
    unknown = sorted(used - set(context) - set(env.globals) - {LOGO_IMAGE})
    return [_("Isian tidak dikenal: {{ %(name)s }}") % {"name": name} for name in unknown]


def _invalid_result_message():
    # A {%p %} or {%tr %} tag in the wrong place yields XML that Word cannot open.
    return (
        _(
            "Hasil pengisian templat bukan dokumen Word yang sah; periksa letak tag "
            "{%%p %%}, {%%tr %%} dan {%%r %%}."
        )
        % {}
    )


def _syntax_message(exc):
    message = _("Kesalahan penulisan tag Jinja: %(error)s") % {"error": exc.message}
    near = _near(exc)
    if near:
        message += " " + _("(di sekitar: %(text)s)") % {"text": near}
    return message

"""The kinds of Word templates an institution can replace with its own (its letterhead, its
fonts): the letter, the Berita Acara, the Dokumen Evaluasi, ...

Each kind names its shipped default .docx, the placeholders its templates may use (shown on
the template page) and a sample context: exactly what a template of the kind sees when it is
rendered, used to try an uploaded template before it is accepted. Apps register their kinds
from AppConfig.ready():

    from documents import kinds
    kinds.register(kinds.TemplateKind(key="berita_acara", label=_("Berita Acara"), ...))
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TemplateKind:
    key: str  # "letter", "berita_acara", "evaluation", ...; stored in DocumentTemplate.kind
    label: str  # lazy translated, e.g. _("Surat")
    default_template: Path  # the shipped .docx
    placeholders: list  # [(placeholder, description)], shown on the template page
    sample_context: Callable[[], dict]  # what a template of this kind sees, as sample data

    @property
    def default_download_name(self):
        return f"templat-{self.key.replace('_', '-')}-monev-spbe.docx"


_registry: dict[str, TemplateKind] = {}


def register(kind):
    """Make `kind` available for institution templates. Registering the same key again with
    the same default template replaces the entry (AppConfig.ready() may run more than once
    in tests); another default under a taken key is a programming error."""
    if len(kind.key) > 40 or not kind.key.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"Template kind key must be a short slug: {kind.key!r}")
    known = _registry.get(kind.key)
    if known is not None and Path(known.default_template) != Path(kind.default_template):
        raise ImproperlyConfigured(f"Template kind {kind.key!r} is registered twice.")
    _registry[kind.key] = kind
    return kind


def get(key):
    """The registered kind `key`; KeyError when there is none."""
    return _registry[key]


def all_kinds():
    """Every registered kind, the letter first, then by label."""
    return sorted(_registry.values(), key=lambda kind: (kind.key != "letter", str(kind.label)))


def validate_kind(value):
    """Model field validator: `value` is a registered kind."""
    if value not in _registry:
        raise ValidationError(
            _("Jenis templat tidak dikenal: %(value)s"), params={"value": value}, code="kind"
        )


def register_letter():
    """The letter kind of documents itself (called from DocumentsConfig.ready())."""
    from documents.letters import LETTER_TEMPLATE, sample_render_context
    from documents.placeholders import LETTER_PLACEHOLDERS

    register(
        TemplateKind(
            key="letter",
            label=_("Surat"),
            default_template=LETTER_TEMPLATE,
            placeholders=LETTER_PLACEHOLDERS,
            sample_context=sample_render_context,
        )
    )

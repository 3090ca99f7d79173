"""File names for exported data dukung, after the national convention inferred from the
examples in Pedoman Menteri PANRB 3/2024, BAB III: `<no. indikator>.<a|b|c…>.<nama>.<ext>`,
e.g. "36.a.SK-Kepegawaian.pdf" (see shared/reference/README.md §4.2: the Pedoman gives no
explicit rule and its examples vary; this is the regular form of them)."""

import re
import unicodedata

MAX_TITLE_LENGTH = 80


def letter_of(index):
    """0 → "a", 1 → "b", …, 25 → "z", 26 → "aa" (spreadsheet-column style)."""
    if index < 0:
        raise ValueError("index must not be negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def title_slug(title):
    """A title as a file-name part: ASCII words joined by hyphens, case kept
    ("SK Kepegawaian 2024" → "SK-Kepegawaian-2024"); "Dokumen" when nothing is left."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_title)
    slug = "-".join(words)[:MAX_TITLE_LENGTH].strip("-")
    return slug or "Dokumen"


def export_name(indicator_number, index, title, ext):
    """ "36.a.SK-Kepegawaian.pdf" for indicator 36, the first file, "SK Kepegawaian", pdf."""
    return f"{indicator_number}.{letter_of(index)}.{title_slug(title)}.{ext}"


def plain_name(title, ext):
    """The name of a file that supports no indicator yet: "SK-Kepegawaian.pdf"."""
    return f"{title_slug(title)}.{ext}"


def reference_text(indicator_number, index):
    """How an answer's text cites one of its data dukung: "Dokumen 36.b" for indicator 36's
    second item, the same letter as its export name."""
    return f"Dokumen {indicator_number}.{letter_of(index)}"


def reference_pattern(indicator_number):
    """The citations of one indicator's data dukung in a text; group 1 is the letter."""
    return re.compile(rf"Dokumen {re.escape(str(indicator_number))}\.([a-z]+)\b")

"""The English UI is complete: every string marked for translation has an English entry in
locale/en/LC_MESSAGES/django.po, and no page of the demo, read in English by each persona,
shows an Indonesian UI string.

These tests read the catalogue as it is; they fail until a translator fills it (that is
what they are for). Neither touches the real locale/: the extraction runs `makemessages`
in a temporary copy of the sources.
"""

import html
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from demo import builder as demo
from demo.tests.crawl import SKIP_PARTS, SKIP_PREFIXES, read_page

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What the copy leaves out: the virtualenv, git, runtime files, the catalogue's own folder.
NOT_SOURCES = {".venv", ".git", "var", "locale", "node_modules", ".ruff_cache", "__pycache__"}

PERSONAS = ["koordinator", "sekda", "kabid", "sekretariat", "evaluator", "opd-bkpsdm"]
# Pages of one shape (the same path with other ids, e.g. the 47 indicator pages) are the
# same template: reading the first few of each shape finds what all of them would.
PAGES_PER_SHAPE = 2

# Indonesian msgids an English page may still show: official terms kept in Indonesian in
# English documents of SPBE evaluations, as the glossary in DESIGN.md uses them. Data
# (indicator, OPD, framework and SOP texts, names, anything stored in the database) is
# removed from the page text before the check, so it needs no entry here.
ALLOWED = {
    "Berita Acara",  # the official record of the evaluation, a document title
    "data dukung",  # supporting evidence, the framework's own term
    "Data dukung",
    "Evaluasi Mandiri",  # as in "Berita Acara Penyelenggaraan Evaluasi Mandiri"
}


# --- The catalogue -------------------------------------------------------------------------


def _unquote(text):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def read_po(path):
    """{(msgctxt, msgid): {"plural": msgid_plural, "msgstr": [forms], "fuzzy": bool}} of a
    .po or .pot file; the header and obsolete (#~) entries are left out."""
    entries, entry, field = {}, None, None

    def close():
        if entry and entry.get("msgid"):
            key = (entry.get("msgctxt"), entry["msgid"])
            forms = [entry[k] for k in sorted(entry) if k.startswith("msgstr")]
            entries[key] = {
                "plural": entry.get("msgid_plural"),
                "msgstr": forms,
                "fuzzy": entry["fuzzy"],
            }

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
                entry, field = None, None
            continue
        if entry is None:
            entry = {"fuzzy": False}
        if line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += _unquote(line[1:-1])
        else:
            field, _space, value = line.partition(" ")
            entry[field] = _unquote(value.strip()[1:-1])
    close()
    return entries


def extracted_msgids(tmp_path):
    """The msgids of all templates and Python files, as `makemessages` finds them, run in a
    copy of the sources so the project's locale/ stays untouched."""
    assert shutil.which("xgettext"), "the gettext tools are needed (apt install gettext)"
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in NOT_SOURCES])
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", "django", "--keep-pot"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return read_po(copy / "locale" / "django.pot")


def test_every_string_marked_for_translation_has_an_english_translation(tmp_path):
    catalogue = read_po(CATALOGUE)
    extracted = extracted_msgids(tmp_path)
    assert len(extracted) > 1000  # the extraction found the project's strings
    missing, fuzzy, empty = [], [], []
    for key in extracted:
        entry = catalogue.get(key)
        if entry is None:
            missing.append(key)
        elif entry["fuzzy"]:
            fuzzy.append(key)
        elif not entry["msgstr"] or not all(entry["msgstr"]):
            empty.append(key)
    problems = {"missing": missing, "fuzzy": fuzzy, "empty": empty}
    counts = {name: len(keys) for name, keys in problems.items()}
    listing = "\n".join(
        f"{name}: {f'[{ctxt}] ' if ctxt else ''}{msgid!r}"
        for name, keys in problems.items()
        for ctxt, msgid in sorted(keys, key=lambda k: (k[0] or "", k[1]))
    )
    assert counts == {"missing": 0, "fuzzy": 0, "empty": 0}, listing


# --- The pages ------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{[^}]*\}\}")


def _words(text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def indonesian_msgids():
    """[(msgid text, its longest literal part, regex)] of the catalogue's msgids the English
    UI shows otherwise (msgstr differs from msgid, or is empty) with two words or more
    besides their placeholders, not allowed above; longest first."""
    found = []
    for (_ctxt, msgid), entry in read_po(CATALOGUE).items():
        english = entry["msgstr"][0] if entry["msgstr"] else ""
        for source in filter(None, [msgid, entry["plural"]]):
            text = _words(source.replace("%%", "%"))
            parts = PLACEHOLDER.split(text)
            words = [word for part in parts for word in part.split() if re.search(r"\w", word)]
            if english == source or text in ALLOWED or len(words) < 2:
                continue
            # Whole words only: "tanda tangan" is not in "penanda tangan".
            pattern = r".{1,120}?".join(re.escape(part) for part in parts)
            pattern = (r"(?<!\w)" if re.match(r"\w", text) else "") + pattern
            pattern += r"(?!\w)" if re.search(r"\w$", text) else ""
            longest = max((part.strip() for part in parts), key=len)
            found.append((text, longest, re.compile(pattern)))
    return sorted(found, key=lambda item: len(item[0]), reverse=True)


class _Text(HTMLParser):
    """The text a person sees or hears: text nodes and aria-label, title, placeholder and alt,
    without scripts, styles and elements marked lang="id" (official Indonesian text)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.stack = [], []

    def _hidden(self):
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in ("script", "style") or (attrs.get("lang") or "").startswith("id")
        if not hidden and not self._hidden():
            self.parts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(page):
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def stored_texts():
    """Every text stored in the database, longest first: data shows in the language it was
    written in (indicator and OPD names, framework and SOP texts, letters, answers)."""
    texts = set()

    def collect(value):
        if isinstance(value, str):
            text = " ".join(value.split())
            if " " in text:  # a single word may be a code ("final") inside a UI word
                texts.add(text)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                collect(list(row))
    return sorted(texts, key=len, reverse=True)


def in_data(text, match, blob):
    """Whether the match is inside stored text shown cut short (truncatewords): the match with
    the three words before it, or after it, is part of a stored text too."""
    before = text[: match.start()].split()[-3:]
    after = text[match.end() :].split()[:3]
    around = [" ".join(before + [match.group()]), " ".join([match.group()] + after)]
    return any(
        len(words) == 3 and part.rstrip("…") in blob
        for words, part in zip([before, after], around, strict=True)
    )


def _shape(path):
    parts = urlsplit(path)
    keys = sorted(key for key, _value in parse_qsl(parts.query))
    return re.sub(r"\d+", "#", parts.path), tuple(keys)


def read_in_english(client):
    """{path: visible text} of every page reachable from the home page, PAGES_PER_SHAPE of
    each shape (demo.tests.crawl's links and skips), each answered in English."""
    seen, queue, pages, shapes = {"/"}, ["/"], {}, Counter()
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert response["Content-Language"] == "en", path
        page = response.content.decode()
        pages[path] = visible_text(page)
        for href in read_page(page)[0]:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if href.startswith(SKIP_PREFIXES) or any(p in parts.path for p in SKIP_PARTS):
                continue
            if href not in seen and shapes[_shape(href)] < PAGES_PER_SHAPE:
                seen.add(href)
                shapes[_shape(href)] += 1
                queue.append(href)
    return pages


@pytest.fixture
def demo_data(demo_database, db, settings):
    settings.MEDIA_ROOT = demo_database


@pytest.mark.parametrize("username", PERSONAS)
def test_no_indonesian_ui_string_on_any_english_page(demo_data, client, username):
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = read_in_english(client)
    assert len(pages) >= 5, sorted(pages)
    data = stored_texts()
    blob = "\n".join(data)
    msgids = indonesian_msgids()
    left = {}  # msgid: the first page showing it
    for path, text in pages.items():
        for stored in data:
            if stored in text:
                text = text.replace(stored, " | ")
        for msgid, longest, pattern in msgids:
            match = pattern.search(text) if longest in text else None
            if match and not in_data(text, match, blob):
                around = text[max(match.start() - 40, 0) : match.end() + 40]
                left.setdefault(msgid, f"{path} …{around}…")
                # A shorter msgid inside this one ("Jadwal rapat" in "Jadwal rapat
                # koordinasi") is not found again.
                text = pattern.sub(" | ", text)
    listing = "\n".join(f"{path}: {msgid!r}" for msgid, path in sorted(left.items()))
    assert left == {}, (
        f"{len(left)} Indonesian UI strings on {username}'s English pages:\n{listing}"
    )

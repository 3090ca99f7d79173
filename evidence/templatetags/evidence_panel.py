"""The data dukung panel's item list, written in Python: the panel is on every indicator page
and is the answer to every upload, and with the template language its items (each with up
to three forms and a revision list) cost ~1 ms apiece to render. Every value put in the HTML
is escaped; the markup is the one evidence/_panel.html documents (its contract with
submissions/isian.js and evidence/panel.js)."""

import functools
from html import escape as _escape

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from documents.templatetags.monev_dates import tanggal

register = template.Library()


def escape(value):
    """django.utils.html.escape (the same characters escaped the same way) without its
    wrapper for lazy strings, which costs more than the escaping; str() evaluates one."""
    return _escape(str(value))


@register.simple_tag(takes_context=True)
def evidence_items(context, panel, return_url):
    """The <ol> of the answer's attached data dukung (panel.items), each with its actions
    (open, view, download, detach), and for an answer that can still change the forms to
    edit its title and date and to upload a revision."""
    token = context.get("csrf_token")
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    ) + f'<input type="hidden" name="next" value="{escape(return_url)}">'
    words = _words(get_language())
    items = "".join(_item(item, panel, hidden, words) for item in panel.items)
    html = f'<ol class="evidence-items" aria-label="{words["list"]}">{items}\n  </ol>'
    return mark_safe(html)  # noqa: S308 - every value in it is escaped


@functools.lru_cache(maxsize=8)
def _words(language):
    """The items' fixed words in `language` (the active one), escaped: translated once per
    language and process, not on every panel."""
    return {
        key: escape(gettext(text))
        for key, text in {
            "reused": "dari tahun lalu",
            "link": "tautan",
            "date": "Tanggal dokumen",
            "open_link": "Buka tautan",
            "new_window": "jendela baru",
            "view": "Lihat",
            "download": "Unduh",
            "detach": "Lepas",
            "edit": "Ubah",
            "title": "Judul dokumen",
            "save": "Simpan",
            "details": "Detail",
            "export_name": "Nama ekspor",
            "size": "Ukuran",
            "progress": "Kemajuan unggahan",
            "upload_revision": "Unggah revisi",
            "list": "Data dukung yang dilampirkan pada isian ini",
        }.items()
    }


def _item(item, panel, hidden, words):
    evidence, latest, key = item.evidence, item.latest, escape(item.key)
    title, reference = escape(evidence.title), escape(item.reference)
    warn = " evidence-item-warn" if item.warnings else ""
    reused = ""
    if evidence.reused_from_id:
        reused = f' <span class="badge badge-info">{words["reused"]}</span>'
    if evidence.kind == "link":
        kind = words["link"]
    else:
        kind = escape(latest.extension.upper()) if latest else ""
    date = escape(tanggal(evidence.document_date)) or "—"
    parts = [
        f'\n    <li class="evidence-item{warn}" id="bukti-{key}" data-reference="{reference}" '
        f'data-title="{title}" data-position="{item.position}">\n'
        f'      <div class="evidence-head">\n'
        f'        <span class="evidence-letter" title="{reference}">{escape(item.letter)}</span>\n'
        f'        <div class="evidence-main">\n'
        f'          <p class="evidence-title">{title}{reused}</p>\n'
        f'          <p class="evidence-meta">{reference} · {kind} · {words["date"]}: {date}</p>\n'
        f"        </div>\n      </div>\n"
    ]
    for warning in item.warnings:
        parts.append(f'      <p class="badge badge-warn evidence-warning">{escape(warning)}</p>\n')
    parts.append('      <div class="evidence-actions">\n')
    hidden_title = f'<span class="visually-hidden"> {title}</span>'
    new_window = f'<span class="visually-hidden"> {title} ({words["new_window"]})</span>'
    if evidence.kind == "link":
        parts.append(
            f'        <a class="btn" href="{escape(evidence.url)}" rel="noopener noreferrer" '
            f'target="_blank">{words["open_link"]}{new_window}</a>\n'
        )
    elif latest:
        if item.preview_url:
            parts.append(
                f'        <a class="btn" href="{escape(item.preview_url)}" target="_blank" '
                f'rel="noopener">{words["view"]}{new_window}</a>\n'
            )
        parts.append(
            f'        <a class="btn" href="{escape(item.download_url)}">'
            f"{words['download']}{hidden_title}</a>\n"
        )
    if panel.can_edit:
        detach = escape(item.detach_url)
        parts.append(
            f'        <form method="post" action="{detach}" hx-post="{detach}" '
            f'hx-target="closest .evidence-panel" hx-swap="outerHTML">\n'
            f"          {hidden}\n"
            f'          <button class="btn" type="submit">'
            f"{words['detach']}{hidden_title}</button>\n"
            f"        </form>\n"
        )
    parts.append("      </div>\n")
    if panel.can_edit:
        edit = escape(item.edit_url)
        iso_date = evidence.document_date.isoformat() if evidence.document_date else ""
        parts.append(
            f'      <details class="evidence-more">\n'
            f"        <summary>{words['edit']}{hidden_title}</summary>\n"
            f'        <form method="post" action="{edit}" hx-post="{edit}" '
            f'hx-target="closest .evidence-panel" hx-swap="outerHTML" '
            f'hx-disabled-elt="find button">\n'
            f"          {hidden}\n"
            f"          <p>\n"
            f'            <label for="ubah-{key}-judul">{words["title"]}</label>\n'
            f'            <input type="text" id="ubah-{key}-judul" name="title" maxlength="300" '
            f'required value="{title}">\n'
            f"          </p>\n"
            f"          <p>\n"
            f'            <label for="ubah-{key}-tanggal">{words["date"]}</label>\n'
            f'            <input type="date" id="ubah-{key}-tanggal" name="document_date" '
            f'value="{iso_date}">\n'
            f"          </p>\n"
            f'          <p><button class="btn btn-primary" type="submit">'
            f"{words['save']}</button></p>\n"
            f"        </form>\n"
            f"      </details>\n"
        )
    if latest:
        parts.append(_details(item, latest, panel, hidden, hidden_title, words))
    parts.append("    </li>\n  ")
    return "".join(parts)


def _details(item, latest, panel, hidden, hidden_title, words):
    revisions = "".join(
        f'\n            <li><a href="{escape(revision.download_url)}">{escape(revision.label)}</a>'
        f"\n              — {escape(revision.original_name)}, "
        f"{escape(tanggal(revision.uploaded_at))}, "
        f"{escape(filesizeformat(revision.size))}, "
        f'<code title="{escape(revision.sha256)}">{escape(revision.sha256[:12])}…</code></li>'
        for revision in item.revisions
    )
    parts = [
        f'      <details class="evidence-more">\n'
        f"        <summary>{words['details']}{hidden_title}</summary>\n"
        f'        <dl class="evidence-facts">\n'
        f"          <dt>{words['export_name']}</dt><dd>{escape(item.download_name)}</dd>\n"
        f"          <dt>{words['size']}</dt><dd>{escape(filesizeformat(latest.size))}</dd>\n"
        f"          <dt>SHA-256</dt><dd><code>{escape(latest.sha256)}</code></dd>\n"
        f"        </dl>\n"
        f'        <p class="small">{escape(item.revisions_label)}</p>\n'
        f'        <ul class="small evidence-revisions">{revisions}\n        </ul>\n'
    ]
    if panel.can_edit:
        action, key = escape(item.revision_url), escape(item.key)
        parts.append(
            f'        <form method="post" action="{action}" enctype="multipart/form-data"\n'
            f'              hx-post="{action}" hx-encoding="multipart/form-data"\n'
            f'              hx-target="closest .evidence-panel" hx-swap="outerHTML" '
            f'hx-disabled-elt="find button"\n'
            f'              hx-on::before-request="'
            f"this.querySelector('progress').hidden = false\"\n"
            f'              hx-on::xhr:progress="if (event.detail.total) '
            f"this.querySelector('progress').value = "
            f'Math.round(100 * event.detail.loaded / event.detail.total)">\n'
            f"          {hidden}\n"
            f'          <label for="revisi-{key}">{escape(item.revision_file_label)}</label>\n'
            f'          <input type="file" id="revisi-{key}" name="file" '
            f'accept="{escape(panel.accept)}" required>\n'
            f'          <progress max="100" value="0" hidden aria-label="{words["progress"]}">'
            f"</progress>\n"
            f'          <button class="btn" type="submit">{words["upload_revision"]}</button>\n'
            f"        </form>\n"
        )
    parts.append("      </details>\n")
    return "".join(parts)

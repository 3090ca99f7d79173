"""The site's header on every page (base.html): the brand, the menu with its badge, who is
signed in, the language switch.

Written in Python because every page renders it: as template tags its eleven {% url %},
fourteen {% translate %} and the {% if %} per role cost ~1 ms a page, more than many pages'
own content. Every value is escaped by format_html; the menu's URLs are reversed once per
process (they take no arguments).
"""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

register = template.Library()

MENU_ICON = mark_safe(
    '<svg class="menu-icon" aria-hidden="true" focusable="false" viewBox="0 0 20 20" '
    'width="20" height="20"><path d="M2 4h16M2 10h16M2 16h16" stroke="currentColor" '
    'stroke-width="2.2" stroke-linecap="round"/></svg>'
)


@functools.lru_cache(maxsize=8)
def _urls(prefix, urlconf):
    names = ["home", "inbox", "cycle_list", "agency_list", "framework_list", "sop_current"]
    names += ["people", "account", "logout", "set_language"]
    return {name: reverse(name, urlconf=urlconf) for name in names}


def _count(count):
    """The menu's badge: how many items wait for the person (nothing when none)."""
    if not count:
        return ""
    label = ngettext(
        "%(counter)s menunggu tindakan Anda", "%(counter)s menunggu tindakan Anda", count
    ) % {"counter": count}
    return format_html(' <span class="nav-count" aria-label="{}">{}</span>', label, count)


def _signed_in(user, membership, urls, csrf):
    count = _count(membership.waiting_count)
    links = [(urls["home"], _("Beranda"), ""), (urls["inbox"], _("Kotak masuk"), count)]
    if membership.is_staff_member:
        links += [(urls["cycle_list"], _("Periode monev"), ""), (urls["agency_list"], _("OPD"), "")]
    links += [
        (urls["framework_list"], _("Kerangka evaluasi"), ""),
        (urls["sop_current"], _("SOP"), ""),
    ]
    if membership.is_admin:
        links.append((urls["people"], _("Pengguna"), ""))
        if user.institution_id:
            # Reversed here (it takes the institution): only administrators get this link.
            settings_url = reverse("institution_settings", args=[user.institution_id])
            links.append((settings_url, _("Pengaturan instansi"), ""))
    name = user.get_full_name()
    institution = user.institution.name if user.institution else ""
    return (
        format_html(
            '<button class="menu-toggle" type="button" aria-expanded="false" '
            'aria-controls="site-menu">{} {}{}</button>',
            MENU_ICON,
            _("Menu"),
            count,
        ),
        format_html(
            '<nav class="mainnav" aria-label="{}">{}</nav>'
            '<div class="who"><span class="who-name" title="{}">{}{}</span>'
            '<a href="{}">{}</a>'
            '<form method="post" action="{}">{}'
            '<button class="btn btn-link" type="submit">{}</button></form></div>',
            _("Menu utama"),
            format_html_join("", '<a href="{}">{}{}</a>', links),
            f"{name} · {institution}" if institution else name,
            name,
            format_html(' <span class="who-institution">· {}</span>', institution)
            if institution
            else "",
            urls["account"],
            _("Keamanan akun"),
            urls["logout"],
            csrf,
            _("Keluar"),
        ),
    )


@register.simple_tag(takes_context=True)
def site_header(context):
    request = context.get("request")
    user = context.get("user")
    urls = _urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    # The page's own token ({{ csrf_token }}), as {% csrf_token %} writes it.
    token = str(context.get("csrf_token", ""))
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    button, menu = "", ""
    if getattr(user, "is_authenticated", False):
        button, menu = _signed_in(user, context["membership"], urls, csrf)
    language = get_language()
    options = format_html_join(
        "",
        '<option value="{}" lang="{}"{}>{}</option>',
        (
            (code, code, mark_safe(" selected") if code == language else "", info["name_local"])
            for code, info in (
                (code, get_language_info(code)) for code, _name in settings.LANGUAGES
            )
        ),
    )
    return format_html(
        '<header class="topbar"><a class="brand" href="{}">Monev SPBE</a>{}'
        '<div class="site-menu" id="site-menu">{}'
        '<form class="lang" method="post" action="{}">{}'
        '<input type="hidden" name="next" value="{}">'
        '<label class="visually-hidden" for="lang-select">{}</label>'
        '<select id="lang-select" name="language" onchange="this.form.submit()">{}</select>'
        '<noscript><button class="btn" type="submit">{}</button></noscript>'
        "</form></div></header>",
        urls["home"],
        button,
        menu,
        urls["set_language"],
        csrf,
        request.get_full_path() if request else "",
        _("Bahasa"),
        options,
        _("Ganti"),
    )

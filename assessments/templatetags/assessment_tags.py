"""The result page's and meeting mode's repeated rows, written in Python: the template
language spends tens of microseconds on each value and a city's framework has 47
indicators, each with a link, a level and a text. Every value put in the HTML is escaped,
and the numbers are printed by framework_tags' filters, as the templates did."""

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from frameworks.models import kind_label
from frameworks.templatetags.framework_tags import bobot, indeks, indeks_penuh

register = template.Library()


@register.simple_tag
def gain_rows(gains, indent):
    """The <tr> of each (indicator, WhatIf) raise: the indicator, its level before and
    after, the gain and the index it would give with its predicate."""
    space = " " * indent
    return mark_safe(  # noqa: S308 - every value in it is escaped
        "".join(
            f'\n{space}<tr><td>{escape(node.number)}. {escape(node.name)}</td><td class="num">'
            f'{option.level} → {option.new_level}</td><td class="num">{escape(bobot(option.gain))}'
            f'</td><td class="num">{escape(indeks(option.index))} ({escape(option.rating)})'
            f"</td></tr>\n{space[:-2]}"
            for node, option in gains
        )
    )


@register.simple_tag
def plan_steps(steps):
    """The <li> of each (indicator, Raise) step of the plan to the next predicate."""
    then = escape(gettext("indeks menjadi"))
    return mark_safe(  # noqa: S308 - every value in it is escaped
        "".join(
            f"<li>{escape(node.number)}. {escape(node.name)}: {step.from_level} → "
            f'{step.to_level} <span class="muted">({then} {escape(indeks(step.index))})</span>'
            "</li>"
            for node, step in steps
        )
    )


@register.simple_tag
def result_rows(cycle, rows):
    """The <tr> of each indicator in the result's table (assessments.queries.result_rows):
    its number, its name linking to its decision page, the OPDs' proposals, the agreed
    level and the start of its FAKTA; a row without an agreed level is marked."""
    edit = reverse("decision_edit", args=[cycle.pk, 0]).removesuffix("0/")
    parts = []
    for row in rows:
        decision = row.decision
        level = (decision.level if decision else None) or "–"
        fakta = escape(truncatechars(decision.fakta, 120)) if decision else ""
        warn = "" if decision else ' class="row-warn"'
        parts.append(
            f"\n      <tr{warn}>\n"
            f'        <td class="num">{escape(row.indicator.number)}</td>\n'
            f'        <td><a href="{edit}{row.pk}/">{escape(row.indicator.name)}</a></td>\n'
            f"        <td>{escape(row.proposals_text)}</td>\n"
            f'        <td class="num">{level}</td>\n'
            f"        <td>{fakta}</td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def meeting_strip(screen):
    """Meeting mode's strip of every indicator (assessments.meeting.StripItem): a link to
    its screen saying whether it is decided, the one on screen marked as the current page."""
    current = screen.code
    states = {}  # an item's state by its level: a gettext each, not one per item
    parts = []
    for item in screen.strip:
        state = states.get(item.level)
        if state is None:
            state = states[item.level] = escape(item.state)
        url, number = escape(item.url), escape(item.number)
        kind = "strip-decided" if item.level else "strip-open"
        here = ' aria-current="page"' if item.code == current else ""
        parts.append(
            f'<a href="{url}" hx-get="{url}" data-meeting-nav class="strip-item {kind}"{here} '
            f'title="{number}. {escape(item.name)} · {state}">{number}'
            f'<span class="visually-hidden"> {state}</span></a>\n    '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def evidence_checkboxes(choices, selected):
    """A checkbox for each data dukung the decision may cite (EvidenceChoice), checked when
    `selected` (the form's values, as strings) has it, with the OPD it came from."""
    parts = []
    for choice in choices:
        checked = " checked" if str(choice.pk) in selected else ""
        agency = (
            f' <span class="muted small">({escape(choice.agency)})</span>' if choice.agency else ""
        )
        parts.append(
            '\n      <label class="plain evidence-choice"><input type="checkbox" name="evidence" '
            f'value="{choice.pk}"{checked}> {escape(choice.title)}{agency}</label>\n      '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def panel_rows(screen):
    """Meeting mode's rows of every domain and aspect (assessments.meeting.PanelRow): its
    index, or how many indicators below it still lack an agreed level; the indicator's own
    domain and aspect marked."""
    here = screen.ancestor_codes
    unrounded = escape(gettext("Tanpa pembulatan"))
    parts = []
    for row in screen.panel_rows:
        node = row.node
        if row.index is None:
            title = ""
            missing = ngettext("kurang %(counter)s", "kurang %(counter)s", row.missing) % {
                "counter": row.missing
            }
            shown = f'<span class="muted small">{escape(missing)}</span>'
        else:
            title = f' title="{unrounded}: {escape(indeks_penuh(row.index))}"'
            shown = escape(row.display)
        mark = " live-here" if node.code in here else ""
        parts.append(
            f'\n      <tr class="live-{escape(node.kind)}{mark}">'
            f'<th scope="row">{escape(kind_label(node.kind))} {escape(node.number)}. '
            f"{escape(node.name)}</th>\n"
            f'        <td class="num"{title}>{shown}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def proposal_cards(proposals, level_word, fakta_word, analisis_word, evidence_word, thread_word):
    """Meeting mode's card of each OPD's proposal (assessments.meeting.Answer): its level,
    state, FAKTA, ANALISIS, data dukung and review thread (open when it was returned)."""
    level_word, thread_word = escape(level_word), escape(thread_word)
    facts = (escape(fakta_word), escape(analisis_word), escape(evidence_word))
    parts = []
    for card in proposals:
        name = f" · {escape(card.level_name)}" if card.level_name else ""
        opened = " open" if card.returned_before else ""
        parts.append(
            f'\n        <article class="proposal" id="usulan-{card.agency_pk}">\n'
            '          <header class="proposal-head">\n'
            f"            <h3>{escape(card.agency)}</h3>\n"
            f'            <span class="proposal-level">{level_word} {card.level}{name}</span>\n'
            f'            <span class="badge {escape(card.badge)}">{escape(card.state_label)}'
            "</span>\n"
            "          </header>\n"
            '          <dl class="facts">\n'
            f'            <dt>{facts[0]}</dt><dd class="prewrap">{escape(card.fakta or "—")}</dd>\n'
            f'            <dt>{facts[1]}</dt><dd class="prewrap">{escape(card.analisis or "—")}'
            "</dd>\n"
            f"            <dt>{facts[2]}</dt><dd>{card.evidence_html}</dd>\n"
            "          </dl>\n"
            f'          <details class="proposal-thread"{opened}>\n'
            f"            <summary>{thread_word} ({len(card.thread)})</summary>\n"
            f"            {card.thread_html}\n"
            "          </details>\n"
            "        </article>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped

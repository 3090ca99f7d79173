"""The indicator's framework texts on the indicator page and the review page: the question
with its attribution, the criteria of each level, the guidance.

Every indicator page shows them, and they change only when the framework is loaded again:
their HTML is rendered once per process, language and framework version and kept with the
framework's tree (frameworks.trees.rendered_texts), which forgets it with the tree.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from frameworks.queries import criteria_sources
from frameworks.trees import rendered_texts
from submissions.queries import level_criteria


@dataclass(frozen=True)
class LevelTexts:
    level: int
    name: str  # the capability model's name of the level ("" without one)
    closed: str  # the level's <details> with its criteria (_level_criteria.html)
    opened: str  # the same, open


@dataclass(frozen=True)
class IndicatorTexts:
    question: str  # the question's card (_question.html), "" without a question
    levels: tuple  # LevelTexts of the framework's scale, lowest first
    attributions: str  # the attribution of each source giving criteria
    has_criteria: bool  # some source gives criteria
    guidance: str  # the guidance's card (_guidance.html), "" without guidance

    def criteria(self, open_level=None):
        """Every level's <details>, the one of `open_level` open, then the attributions."""
        return mark_safe(
            "".join(row.opened if row.level == open_level else row.closed for row in self.levels)
            + self.attributions
        )

    def level_name(self, level):
        """The name of `level` ("" without one, and for no level)."""
        return next((row.name for row in self.levels if row.level == level), "")

    def level_names(self):
        """[{level, name}] of the scale, as SubmissionForm takes them."""
        return [{"level": row.level, "name": row.name} for row in self.levels]


def indicator_texts(framework, indicator):
    """The IndicatorTexts of `indicator` (a node of `framework` with its texts) in the
    active language; no query, and no rendering once this process has made them."""
    return rendered_texts(
        framework, indicator.pk, "submissions.texts", lambda: _render(framework, indicator)
    )


def _render(framework, indicator):
    sources = criteria_sources(framework, indicator)
    context = {
        "indicator": indicator,
        "sources": sources,
        "question_source": framework.source_by_key.get(indicator.texts.get("question_source")),
    }

    def level(row, *, open):
        return render_to_string("submissions/_level_criteria.html", {"row": row, "open": open})

    return IndicatorTexts(
        question=render_to_string("submissions/_question.html", context),
        levels=tuple(
            LevelTexts(row["level"], row["name"], level(row, open=False), level(row, open=True))
            for row in level_criteria(framework, indicator)
        ),
        attributions=format_html_join(
            "", '<p class="attribution">{}</p>', ((source["attribution"],) for source in sources)
        ),
        has_criteria=bool(sources),
        guidance=render_to_string("submissions/_guidance.html", context),
    )

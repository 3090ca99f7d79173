"""Whether a piece of evidence can support the level an OPD proposes, by the rules of
Pedoman Menteri PANRB 3/2024 where it states one. Warnings, not refusals: the evaluator
decides; the OPD sees early what will not count.

Every rule is one row of RULES. A rule applies to a level (None: any level) and, through
`applies`, to the indicators it concerns; `violated` says whether the evidence breaks it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Pedoman 3/2024: a level-5 answer needs a reviu/evaluasi "yang masih berlaku (<2 tahun)"
# followed by a new policy or improvement.
REVIEW_VALID_YEARS = 2


def _cycle_year_end(evidence):
    return datetime.date(evidence.cycle.year, 12, 31)


def _review_too_old(evidence):
    if evidence.document_date is None:
        return False
    year_end = _cycle_year_end(evidence)
    return evidence.document_date < year_end.replace(year=year_end.year - REVIEW_VALID_YEARS)


def _level_five_asks_for_review(indicator):
    """The indicator's level-5 criteria or guidance speak of a reviu (all 47 indicators of
    the 2020 framework do); an indicator without texts is given the benefit of the rule."""
    if indicator is None or not indicator.texts:
        return True
    texts = indicator.texts
    parts = [text.get("5", "") for text in (texts.get("criteria") or {}).values()]
    level = ((texts.get("guidance") or {}).get("levels") or {}).get("5") or {}
    parts += [level.get("fulfilment", ""), level.get("evidence", "")]
    return "reviu" in " ".join(parts).lower()


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    violated: Callable
    level: int | None = None
    applies: Callable = lambda indicator: True


RULES = [
    Rule(
        code="no_document_date",
        message=_("Tanggal dokumen belum diisi."),
        violated=lambda evidence: evidence.document_date is None,
    ),
    Rule(
        code="review_older_than_two_years",
        message=_(
            "Dokumen reviu/evaluasi bertanggal lebih dari 2 tahun tidak mendukung tingkat 5."
        ),
        violated=_review_too_old,
        level=5,
        applies=_level_five_asks_for_review,
    ),
]


def validity_warnings(evidence, *, level, indicator):
    """The messages of every rule the evidence breaks for `level` of `indicator`, in the
    order of RULES. `level` None (not proposed yet) checks only the rules for any level.
    Reads evidence.cycle (select it with the evidence when listing many)."""
    return [
        str(rule.message)
        for rule in RULES
        if (rule.level is None or rule.level == level)
        and rule.applies(indicator)
        and rule.violated(evidence)
    ]

"""Indices and weights as people read them, in their language, and as machines keep them."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from frameworks.scoring import display, index_str, plain, rounded, unrounded, weight_str


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (Decimal("2.9925"), "2,99", "2.99"),
        (Decimal("2.995"), "3,00", "3.00"),  # half-up, not to even
        (Decimal("2.985"), "2,99", "2.99"),
        (Decimal("3"), "3,00", "3.00"),
        (3, "3,00", "3.00"),
        (None, "–", "–"),
    ],
)
def test_display_rounds_half_up_to_two_decimals_in_the_readers_language(value, indonesian, english):
    with translation.override("id"):
        assert display(value) == indonesian
    with translation.override("en"):
        assert display(value) == english


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (Decimal("1.300"), "1,3", "1.3"),
        (Decimal("13.000"), "13", "13"),
        (Decimal("16.5"), "16,5", "16.5"),
        (Decimal("0.0275"), "0,0275", "0.0275"),
        (Decimal("100"), "100", "100"),
    ],
)
def test_weights_keep_their_own_precision_in_the_readers_language(value, indonesian, english):
    with translation.override("id"):
        assert plain(value) == indonesian
    with translation.override("en"):
        assert plain(value) == english


def test_machine_values_do_not_depend_on_the_language():
    for language in ("id", "en"):
        with translation.override(language):
            assert rounded(Decimal("2.995")) == Decimal("3.00")
            assert rounded(None) is None
            assert index_str(Decimal("2.9925")) == "2.99"
            assert index_str(None) is None
            assert weight_str(Decimal("1.300")) == "1.3"
            assert weight_str(Decimal("13.000")) == "13"


def test_unrounded_is_the_exact_value_in_the_readers_language():
    with translation.override("id"):
        assert unrounded(Decimal("2.9925")) == "2,9925"
    with translation.override("en"):
        assert unrounded(Decimal("2.9925")) == "2.9925"


def render(source, **context):
    return Template("{% load framework_tags %}" + source).render(Context(context))


def test_template_filters_print_indices_and_weights_one_way():
    source = "{{ i|indeks }} {{ s|indeks }} {{ n|indeks }} {{ w|bobot }} {{ i|indeks_penuh }}"
    values = {"i": Decimal("2.9925"), "s": "2.96", "n": None, "w": Decimal("1.300")}
    with translation.override("id"):
        assert render(source, **values) == "2,99 2,96 – 1,3 2,9925"
    with translation.override("en"):
        assert render(source, **values) == "2.99 2.96 – 1.3 2.9925"


def test_indeks_prints_a_dash_for_what_is_not_a_number():
    with translation.override("id"):
        assert render("{{ a|indeks }}|{{ b|indeks }}|{{ c|bobot }}", a="–", b="", c=None) == (
            "–|–|–"
        )

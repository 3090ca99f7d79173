"""The engine, against the regulation's worked examples and published 2024 results."""

from decimal import Decimal

import pytest

from frameworks.scoring import (
    Band,
    FrameworkSpec,
    LevelError,
    NodeSpec,
    Raise,
    WhatIf,
    display,
    plan_target,
    rating_for,
    score,
    score_from_values,
    what_if,
)


def levels_at(spec, level, **changes):
    levels = {node.code: level for node in spec.indicators}
    levels.update(changes)
    return levels


# --- PermenPANRB 59/2020 worked examples ------------------------------------------------------


def test_aspect_index_from_indicator_levels(spec2020):
    result = score(spec2020, {"I11": 3, "I12": 4, "I13": 3, "I14": 2})

    assert result.indices["A2"] == Decimal("3")
    assert display(result.indices["A2"]) == "3,00"


def test_domain_index_from_aspect_values(spec2020):
    result = score_from_values(spec2020, {"A2": "3.00", "A3": "4.00", "A4": "3.00"})

    assert result.indices["D2"] == Decimal("3.4")
    assert display(result.indices["D2"]) == "3,40"


def test_overall_index_from_domain_values_is_exact(spec2020):
    result = score_from_values(spec2020, {"D1": "3.70", "D2": "3.40", "D3": "3.00", "D4": "3.20"})

    assert result.index == Decimal("3.282")
    assert result.rating == "Baik"
    assert result.complete is True
    assert result.missing == ()


# --- Published 2024 results -------------------------------------------------------------------


def test_kota_pontianak_2024(spec2020):
    result = score_from_values(spec2020, {"D1": "3.60", "D2": "3.40", "D3": "1.73", "D4": "4.14"})

    assert result.index == Decimal("3.48715")
    assert display(result.index) == "3,49"
    assert result.rating == "Baik"


def test_kota_pangkalpinang_2024(spec2020):
    result = score_from_values(spec2020, {"D1": "4.70", "D2": "3.50", "D3": "1.27", "D4": "4.64"})

    assert result.index == Decimal("3.80675")
    assert display(result.index) == "3,81"
    assert result.rating == "Sangat Baik"


@pytest.mark.parametrize(
    ("value", "rating", "shown"),
    [
        ("1.7985", "Kurang", "1,80"),
        ("3.4986", "Baik", "3,50"),
        ("2.5968", "Cukup", "2,60"),
    ],
)
def test_rating_comes_from_the_unrounded_index(spec2020, value, rating, shown):
    assert rating_for(spec2020, Decimal(value)) == rating
    assert display(Decimal(value)) == shown


@pytest.mark.parametrize(
    ("value", "rating"),
    [
        ("1", "Kurang"),
        ("1.8", "Cukup"),
        ("2.6", "Baik"),
        ("3.5", "Sangat Baik"),
        ("4.1999", "Sangat Baik"),
        ("4.2", "Memuaskan"),
        ("5", "Memuaskan"),
    ],
)
def test_band_minimum_is_inclusive_and_top_maximum_too(spec2020, value, rating):
    assert rating_for(spec2020, Decimal(value)) == rating


def test_rating_outside_the_scale_is_refused(spec2020):
    with pytest.raises(LevelError) as error:
        rating_for(spec2020, Decimal("5.01"))

    assert str(error.value) == "Nilai 5.01 di luar skala 1–5."


def test_display_rounds_half_up():
    assert display(Decimal("3.485")) == "3,49"
    assert display(Decimal("2.675")) == "2,68"
    assert display(Decimal("3")) == "3,00"
    assert display(None) == "–"


# --- Scoring levels ---------------------------------------------------------------------------


def test_all_indicators_at_one_level_give_that_level_everywhere(spec2020):
    result = score(spec2020, levels_at(spec2020, 3))

    assert result.index == Decimal("3")
    assert result.rating == "Baik"
    assert {display(value) for value in result.indices.values()} == {"3,00"}
    assert len(result.indices) == 4 + 8 + 47


def test_node_index_is_weighted_by_child_weights(spec2020):
    levels = levels_at(spec2020, 2, I29=1, I30=1, I31=1)
    result = score(spec2020, levels)

    # Domain 3: aspect 5 (12) at 2 and aspect 6 (4.5) at 1 -> (24 + 4.5) / 16.5
    assert result.indices["A6"] == Decimal("1")
    assert display(result.indices["D3"]) == "1,73"
    assert result.index == Decimal("1.955")
    assert result.rating == "Cukup"


def test_incomplete_levels_list_missing_indicators_and_give_no_index(spec2020):
    levels = levels_at(spec2020, 3)
    del levels["I1"], levels["I47"], levels["I20"]
    result = score(spec2020, levels)

    assert result.complete is False
    assert result.index is None
    assert result.rating is None
    assert result.missing == ("I1", "I20", "I47")
    assert result.indices["A1"] is None
    assert result.indices["D1"] is None
    assert result.indices["A2"] == Decimal("3")
    assert result.indices["D3"] == Decimal("3")


def test_levels_that_do_not_fit_are_refused_with_every_problem(spec2020):
    with pytest.raises(LevelError) as error:
        score(spec2020, {"I1": 6, "I2": "3", "I3": True, "I99": 2, "A1": 3, "I4": 0})

    assert error.value.problems == [
        "Tingkat indikator I1 (6) di luar skala 1–5.",
        "Tingkat indikator I2 harus bilangan bulat, bukan '3'.",
        "Tingkat indikator I3 harus bilangan bulat, bukan True.",
        "Indikator I99 tidak ada di kerangka spbe-2020.",
        "Indikator A1 tidak ada di kerangka spbe-2020.",
        "Tingkat indikator I4 (0) di luar skala 1–5.",
    ]


def test_values_that_do_not_fit_are_refused(spec2020):
    with pytest.raises(LevelError) as error:
        score_from_values(spec2020, {"D1": "tiga", "D2": "5.5", "D9": "3"})

    assert error.value.problems == [
        "Nilai simpul D1 harus bilangan desimal, bukan 'tiga'.",
        "Nilai simpul D2 (5.5) di luar skala 1–5.",
        "Simpul D9 tidak ada di kerangka spbe-2020.",
    ]


def test_values_at_some_domains_leave_the_rest_missing(spec2020):
    result = score_from_values(spec2020, {"D1": "3", "D2": "3", "D3": "3"})

    assert result.index is None
    assert result.missing == tuple(f"I{number}" for number in range(32, 48))


# --- What-if and the target planner -----------------------------------------------------------


def test_what_if_lists_each_raise_by_gain(spec2020):
    levels = levels_at(spec2020, 5, I1=4, I11=4, I32=4)

    options = what_if(spec2020, levels)

    assert options == [
        WhatIf("I32", 4, 5, Decimal("4.962"), Decimal("0.0275"), "Memuaskan"),
        WhatIf("I11", 4, 5, Decimal("4.9595"), Decimal("0.025"), "Memuaskan"),
        WhatIf("I1", 4, 5, Decimal("4.9475"), Decimal("0.013"), "Memuaskan"),
    ]


def test_what_if_shows_which_raises_change_the_rating(spec2020):
    # Domain 4 at 4 and I21, I22 at 4, the rest at 3: 3.485, shown "3.49", Baik.
    levels = levels_at(spec2020, 3, I21=4, I22=4)
    levels.update({f"I{number}": 4 for number in range(32, 48)})

    options = what_if(spec2020, levels)

    assert display(score(spec2020, levels).index) == "3,49"
    assert len(options) == 47
    assert options[0] == WhatIf("I42", 4, 5, Decimal("3.515"), Decimal("0.03"), "Sangat Baik")
    assert options[-1] == WhatIf("I10", 3, 4, Decimal("3.498"), Decimal("0.013"), "Baik")
    assert [option.code for option in options if option.rating == "Baik"] == [
        f"I{number}" for number in range(1, 11)
    ]


def test_what_if_needs_every_level(spec2020):
    levels = levels_at(spec2020, 3)
    del levels["I5"]

    with pytest.raises(LevelError) as error:
        what_if(spec2020, levels)

    assert str(error.value) == "Tingkat semua indikator diperlukan; belum diisi: I5."


def test_plan_raises_the_heaviest_indicators_first(spec2020):
    plan = plan_target(spec2020, levels_at(spec2020, 1), "Cukup")

    heaviest = ["I42", "I43", "I44", "I45", "I46", "I47"]
    assert plan.reachable is True
    assert [step.code for step in plan.raises] == heaviest * 4 + ["I32", "I33", "I34"]
    assert plan.raises[6] == Raise("I42", 2, 3, Decimal("1.21"))
    assert plan.index == Decimal("1.8025")
    assert plan.message == (
        "Predikat Cukup (indeks ≥ 1,80) tercapai dengan 27 kenaikan satu tingkat: "
        "indeks 1,00 menjadi 1,80."
    )


def flat_spec():
    def indicator(code, weight):
        return NodeSpec(code, "indicator", code[1:], code, Decimal(weight))

    return FrameworkSpec(
        code="uji",
        version="1",
        name="Uji",
        scale_min=1,
        scale_max=5,
        bands=(
            Band("Rendah", Decimal("1"), Decimal("2.5")),
            Band("Sedang", Decimal("2.5"), Decimal("4")),
            Band("Tinggi", Decimal("4"), Decimal("5")),
        ),
        roots=(indicator("X1", "40"), indicator("X2", "30"), indicator("X3", "30")),
    )


def test_plan_ties_go_to_an_unraised_indicator_then_the_lower_level():
    spec = flat_spec()
    levels = {"X1": 2, "X2": 3, "X3": 1}

    plan = plan_target(spec, levels, "Sedang", locked=["X1"])

    assert plan.start_index == Decimal("2")
    assert plan.raises == (
        Raise("X3", 1, 2, Decimal("2.3")),
        Raise("X2", 3, 4, Decimal("2.6")),
    )


def test_plan_says_when_the_target_is_unreachable():
    spec = flat_spec()

    plan = plan_target(spec, {"X1": 2, "X2": 3, "X3": 1}, "Tinggi", locked=["X1", "X2"])

    assert plan.reachable is False
    assert plan.raises == ()
    assert plan.index == Decimal("3.2")
    assert plan.message == (
        "Predikat Tinggi (indeks ≥ 4,00) tidak dapat dicapai: bila semua indikator yang boleh "
        "dinaikkan mencapai tingkat tertinggi, indeks paling tinggi 3,20."
    )


def test_plan_for_a_rating_already_reached_is_empty():
    plan = plan_target(flat_spec(), {"X1": 4, "X2": 4, "X3": 4}, "Sedang")

    assert plan.reachable is True
    assert plan.raises == ()
    assert plan.message == "Predikat Sedang sudah tercapai (indeks 4,00)."


def test_plan_for_an_unknown_rating_is_refused():
    with pytest.raises(LevelError) as error:
        plan_target(flat_spec(), {"X1": 4, "X2": 4, "X3": 4}, "Istimewa")

    assert str(error.value) == (
        "Predikat 'Istimewa' tidak dikenal (yang dikenal: Rendah, Sedang, Tinggi)."
    )

from sops.models import SopStep, TimeUnit


def make_step(**fields):
    defaults = {"number": 1, "activity": "Kegiatan", "actors": ["coordinator"]}
    return SopStep(**(defaults | fields))


def test_time_display_prefers_the_sops_own_words():
    step = make_step(time_value=10, time_min=5, time_unit=TimeUnit.WORKING_DAYS, time_label="x")
    assert step.time_display == "x"


def test_time_display_is_made_from_the_numbers_without_a_label():
    assert make_step(time_value=30, time_unit=TimeUnit.MINUTES).time_display == "30 menit"
    assert make_step(time_value=3, time_unit=TimeUnit.WORKING_DAYS).time_display == "3 hari kerja"
    ranged = make_step(time_value=10, time_min=5, time_unit=TimeUnit.WORKING_DAYS)
    assert (ranged.is_range, ranged.time_display) == (True, "5–10 hari kerja")


def test_the_first_actor_owns_the_step():
    assert make_step(actors=["evaluator", "coordinator"]).owner == "evaluator"

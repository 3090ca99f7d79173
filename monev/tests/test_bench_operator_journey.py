"""Keeps bench_operator_journey from rotting: its data, and one-indicator journeys on the
laptop viewport against the live server, first year and returning (the benchmark itself
runs with `make benchmark`)."""

import pytest
from django.utils import timezone

from submissions.management import operator_journey as bench
from submissions.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _journey(browser, live_server, tmp_path, username, scenario):
    folder = tmp_path / scenario.replace(" ", "-")
    folder.mkdir()
    return bench.run_journey(
        browser,
        live_server.url,
        bench.LAPTOP,
        username=username,
        password=bench.PASSWORD,
        indicators=1,
        folder=folder,
        scenario=scenario,
    )


def test_bench_operator_journey_hands_in_one_indicator_each_way(browser, live_server, tmp_path):
    operators = bench.build_cycle(indicators=1)
    last_year = Submission.objects.get(
        cycle__year=timezone.localdate().year - 1, agency__short_name="Inspektorat"
    )

    first = _journey(browser, live_server, tmp_path, operators["Bappeda"], bench.FIRST_YEAR)
    returning = _journey(browser, live_server, tmp_path, operators["Inspektorat"], bench.RETURNING)

    assert operators == {
        "Diskominfo": "opd-diskominfo",
        "Bappeda": "opd-bappeda",
        "BKD": "opd-bkd",
        "Inspektorat": "opd-inspektorat",
    }
    assert (last_year.status, last_year.level, last_year.indicator.number) == (
        Submission.Status.SUBMITTED,
        3,
        "1",
    )
    assert bench.handed_in() == {
        "Diskominfo": [0, 0, 0],
        "Bappeda": [1, 1, 0],
        "BKD": [0, 0, 0],
        "Inspektorat": [1, 1, 1],
    }
    login = len("opd-bappeda" + bench.PASSWORD)
    assert first.chars == login + len(bench.FAKTA.format(n=1) + bench.ANALISIS.format(level=3))
    # Key 3 (into FAKTA), Tab to ANALISIS, Ctrl+Enter; the Tab only moves into a text field.
    assert (first.per_indicator, first.per_indicator_b) == ([3], [2])
    assert first.dialogs == 1  # both files in one dialog of 'Pilih berkas'
    # 'Pakai isian tahun lalu' (into FAKTA's end), Tab, Ctrl+Enter.
    assert (returning.per_indicator, returning.per_indicator_b) == ([3], [2])
    assert returning.chars == len("opd-inspektorat" + bench.PASSWORD) + 40 + 32
    assert returning.remarks == []

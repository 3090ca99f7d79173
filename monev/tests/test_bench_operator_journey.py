"""Keeps bench_operator_journey from rotting: its data, and a one-indicator journey on the
laptop viewport against the live server (the benchmark itself runs with `make benchmark`)."""

import pytest

from submissions.management import operator_journey as bench

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_bench_operator_journey_hands_in_one_indicator(browser, live_server, tmp_path):
    operators = bench.build_cycle(indicators=1)

    journey = bench.run_journey(
        browser,
        live_server.url,
        bench.LAPTOP,
        username=operators["Diskominfo"],
        password=bench.PASSWORD,
        indicators=1,
        folder=tmp_path,
    )

    assert operators == {"Diskominfo": "opd-diskominfo", "Bappeda": "opd-bappeda"}
    assert bench.handed_in() == {"Diskominfo": [1, 1], "Bappeda": [0, 0]}
    assert journey.indicators == 1
    assert journey.chars == len("opd-diskominfo" + bench.PASSWORD) + len(
        bench.FAKTA.format(n=1) + bench.ANALISIS.format(level=3)
    )
    assert journey.dialogs == 1  # both files in one dialog of 'Pilih berkas'
    assert journey.loads >= 3  # the login form, the home page, the indicator

"""Every page of the demo a person reaches from their home page opens, and its tables are
well formed (as many cells in each row as in the header)."""

import pytest

from demo import builder as demo
from demo.tests.crawl import crawl, read_page

# The coordinator reaches nearly every staff page; the Sekda and an OPD operator see their own.
PEOPLE = ["koordinator", "sekda", "opd-bkpsdm"]


@pytest.fixture
def demo_data(demo_database, db, settings):
    settings.MEDIA_ROOT = demo_database


@pytest.mark.parametrize("username", PEOPLE)
def test_every_page_a_person_reaches_opens_with_well_formed_tables(demo_data, client, username):
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    pages = crawl(client)
    broken = {path: r.status_code for path, r in pages.items() if r.status_code >= 400}
    assert broken == {}
    problems = {}
    for path, response in pages.items():
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = read_page(response.content.decode())[1]
            if found:
                problems[path] = found
    assert problems == {}
    assert len(pages) >= 10, sorted(pages)


def test_the_table_check_finds_a_row_longer_than_its_header():
    html = (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td colspan='2'>x</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></tbody>"
        "</table>"
    )
    assert read_page(html)[1] == ["table at line 1: 2 header cells, a row with 3 (line 1)"]


def test_the_table_check_counts_cells_spanning_rows():
    html = (
        "<table><thead><tr><th rowspan='2'>No</th><th colspan='2'>Pelaksana</th></tr>"
        "<tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>x</td><td>y</td></tr>"
        "<tr><td rowspan='2'>2</td><td>x</td><td>y</td></tr><tr><td>x</td><td>y</td></tr>"
        "</tbody></table>"
    )
    assert read_page(html)[1] == []

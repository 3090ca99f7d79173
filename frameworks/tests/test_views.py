import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.services import load_framework_file

from .conftest import SPBE_2018, SPBE_2020

LIST_URL = reverse("framework_list")
DETAIL_2020 = reverse("framework_detail", args=["spbe-2020", "1"])


def own_queries(captured):
    """The queries that read this app's tables (the rest is session, user, menu)."""
    return [query["sql"] for query in captured if "frameworks_" in query["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        DETAIL_2020,
        reverse("indicator_detail", args=["spbe-2020", "1", "I1"]),
    ],
)
def test_pages_need_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_list_shows_frameworks_with_provenance_count_and_default(client, user, spbe2020, spbe2018):
    client.force_login(user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    frameworks = {item.code: item for item in response.context["frameworks"]}
    assert frameworks["spbe-2020"].indicator_count == 47
    assert frameworks["spbe-2018"].indicator_count == 35
    assert [item.code for item in response.context["frameworks"]] == ["spbe-2020", "spbe-2018"]
    page = response.content.decode()
    assert '<span class="badge badge-ok">resmi</span>' in page
    assert '<span class="badge badge-warn">rekonstruksi</span>' in page
    assert page.count('<span class="badge badge-info">bawaan</span>') == 1
    assert f'href="{DETAIL_2020}"' in page


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_frameworks(
    client, user, flat_data, write_framework, django_assert_num_queries
):
    client.force_login(user)
    load_framework_file(write_framework(flat_data))
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST_URL)
    load_framework_file(SPBE_2020)
    load_framework_file(SPBE_2018)

    with django_assert_num_queries(len(captured)) as again:
        response = client.get(LIST_URL)

    assert len(response.context["frameworks"]) == 3
    assert len(own_queries(again.captured_queries)) == 1


@pytest.mark.django_db
def test_detail_shows_tree_weights_levels_and_bands(client, user, spbe2020):
    client.force_login(user)

    response = client.get(DETAIL_2020)

    page = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == 4 + 8 + 47
    assert [(row.code, row.weight_display) for row in rows[:3]] == [
        ("D1", "13"),
        ("A1", "13"),
        ("I1", "1,3"),
    ]
    assert "<strong>Domain 3. Manajemen SPBE</strong>" in page
    assert reverse("indicator_detail", args=["spbe-2020", "1", "I47"]) in page
    assert response.context["level_rows"][3] == {
        "level": 4,
        "names": ["Terpadu dan Terukur", "Kolaborasi"],
    }
    assert [(band["rating"], band["min"], band["max"]) for band in response.context["bands"]] == [
        ("Memuaskan", "4.2", "5.0"),
        ("Sangat Baik", "3.5", "4.2"),
        ("Baik", "2.6", "3.5"),
        ("Cukup", "1.8", "2.6"),
        ("Kurang", "1.0", "1.8"),
    ]
    assert "<td>4,20 – 5,00</td>" in page
    assert "<td>2,60 – &lt; 3,50</td>" in page


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_nodes(
    client, user, flat_data, write_framework, spbe2020, django_assert_num_queries
):
    client.force_login(user)
    load_framework_file(write_framework(flat_data))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("framework_detail", args=["uji-datar", "1"]))

    with django_assert_num_queries(len(captured)) as again:
        response = client.get(DETAIL_2020)

    assert len(response.context["rows"]) == 59
    assert len(own_queries(again.captured_queries)) == 2


@pytest.mark.django_db
def test_indicator_query_count_is_fixed(client, user, spbe2020, django_assert_num_queries):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("indicator_detail", args=["spbe-2020", "1", "I1"]))

    with django_assert_num_queries(len(captured) - 1) as again:
        client.get(reverse("indicator_detail", args=["spbe-2020", "1", "I47"]))

    # The framework row; its tree and texts were read by the first page and are kept.
    assert len(own_queries(captured.captured_queries)) == 2
    assert len(own_queries(again.captured_queries)) == 1


@pytest.mark.django_db
def test_unknown_framework_is_not_found(client, user, spbe2020):
    client.force_login(user)

    response = client.get(reverse("framework_detail", args=["spbe-2020", "2"]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_indicator_shows_both_criteria_side_by_side_with_attribution(client, user, spbe2020):
    client.force_login(user)

    response = client.get(reverse("indicator_detail", args=["spbe-2020", "1", "I1"]))

    page = response.content.decode()
    node = response.context["node"]
    level_2 = response.context["levels"][1]
    assert response.status_code == 200
    assert [ancestor.code for ancestor in response.context["ancestors"]] == ["D1", "A1"]
    assert response.context["previous"] is None
    assert response.context["next"].code == "I2"
    assert level_2["level"] == 2
    assert level_2["name"] == "Terkelola"
    assert [cell["source"]["key"] for cell in level_2["cells"]] == ["permen", "pedoman"]
    assert level_2["cells"][0]["text"] == node.texts["criteria"]["permen"]["2"]
    assert level_2["cells"][1]["text"] == node.texts["criteria"]["pedoman"]["2"]
    assert level_2["cells"][0]["extra"] == []
    assert [label for label, _text in level_2["cells"][1]["extra"]] == [
        "Kriteria pemenuhan",
        "Kriteria bukti dukung",
    ]
    assert page.count('class="side-by-side"') == 5 + 1
    assert node.texts["question"] in page
    assert (
        "Instansi Pusat/Pemerintah Daerah sudah memiliki kebijakan internal Arsitektur SPBE yang "
        "telah ditetapkan dan pengaturan Arsitektur SPBE mencakup sebagian domain Arsitektur SPBE."
    ) in page
    assert "Ketentuan penilaian" in page
    permen = (
        "Sumber: Lampiran Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan "
        "Evaluasi SPBE."
    )
    pedoman = (
        "Sumber: Pedoman Menteri PANRB Nomor 3 Tahun 2024 tentang Tata Cara Pemantauan dan "
        "Evaluasi SPBE."
    )
    # Under the question, under each criteria column, and under the guidance.
    assert page.count(f'<p class="attribution">{permen}</p>') == 2
    assert page.count(f'<p class="attribution">{pedoman}</p>') == 2


@pytest.mark.django_db
def test_indicator_notes_are_shown(client, user, spbe2020):
    client.force_login(user)

    response = client.get(reverse("indicator_detail", args=["spbe-2020", "1", "I3"]))

    notes = response.context["node"].texts["notes"]
    assert len(notes) == 2
    assert "Tabel Kuesioner indikator 3 dicetak dalam PDF resmi" in response.content.decode()


@pytest.mark.django_db
def test_indicator_without_texts_says_so(client, user, spbe2018):
    client.force_login(user)

    response = client.get(reverse("indicator_detail", args=["spbe-2018", "1", "I25"]))

    assert response.context["node"].name == "Layanan Naskah Dinas"
    assert "tidak memuat teks pertanyaan dan kriteria" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["D1", "A2", "I48"])
def test_only_indicators_have_an_indicator_page(client, user, spbe2020, code):
    client.force_login(user)

    response = client.get(reverse("indicator_detail", args=["spbe-2020", "1", code]))

    assert response.status_code == 404

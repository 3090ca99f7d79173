"""The framework trees a process keeps (frameworks.trees): read once, read again when the
version is reloaded, in this process and in any other, and never shared with callers."""

import pytest
from django.http import Http404
from django.utils import translation

from frameworks import services, trees
from frameworks.models import Framework
from frameworks.queries import (
    get_indicator_or_404,
    indicator_page,
    indicator_rows,
    node_pks,
    tree_rows,
)
from frameworks.services import load_framework_file


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts as a process that has read no tree yet."""
    trees.forget_tree()
    yield
    trees.forget_tree()


def question(framework, code="X1"):
    return indicator_page(framework, code)["node"].texts["question"]


@pytest.mark.django_db
def test_a_tree_is_read_once_per_process(flat_data, write_framework, django_assert_num_queries):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    with django_assert_num_queries(1):
        spec = framework.spec()
    row = Framework.objects.get(pk=framework.pk)

    with django_assert_num_queries(0):
        again = row.spec()
        rows = tree_rows(row)
        page = indicator_page(row, "X1")
        codes = node_pks(row)
        indicators = indicator_rows(row)

    assert again is spec
    assert [node.code for node in rows] == ["A1", "X1", "X2", "A2", "X3"]
    assert [node.is_indicator for node in rows] == [False, True, True, False, True]
    assert page["node"].texts["question"] == "Apakah ada?"
    assert [node.code for node in page["ancestors"]] == ["A1"]
    assert page["next"].code == "X2"
    assert sorted(codes) == ["A1", "A2", "X1", "X2", "X3"]
    assert [node.code for node in indicators] == ["X1", "X2", "X3"]


@pytest.mark.django_db
def test_reloading_in_place_shows_the_new_texts_in_the_same_process(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    assert question(framework) == "Apakah ada?"
    assert framework.spec(with_texts=True).by_code["X1"].texts["question"] == "Apakah ada?"

    flat_data["tree"][0]["children"][0]["texts"]["question"] = "Apakah sudah ada?"
    flat_data["tree"][0]["children"][0]["name"] = "Indikator Satu (baru)"
    updated, _outcome = load_framework_file(write_framework(flat_data))

    fresh_row = Framework.objects.get(pk=framework.pk)
    for row in (updated, fresh_row, framework):  # the old row too: this process forgot it
        assert question(row) == "Apakah sudah ada?"
        assert row.spec().by_code["X1"].name == "Indikator Satu (baru)"
        assert [node.name for node in tree_rows(row)][1] == "Indikator Satu (baru)"


@pytest.mark.django_db
def test_another_process_sees_the_new_version_by_its_stamp(
    flat_data, write_framework, django_assert_num_queries, monkeypatch
):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    assert question(framework) == "Apakah ada?"
    # This process keeps the old tree while another process reloads the file: the other
    # process's forgetting does not reach this one.
    flat_data["tree"][0]["children"][0]["texts"]["question"] = "Apakah sudah ada?"
    with monkeypatch.context() as patch:
        patch.setattr(services, "forget_tree", lambda framework: None)
        load_framework_file(write_framework(flat_data))
    assert question(framework) == "Apakah ada?"  # the old row's stamp: what was kept

    row = Framework.objects.get(pk=framework.pk)  # what the next page reads

    assert row.loaded_at != framework.loaded_at
    with django_assert_num_queries(1):
        assert question(row) == "Apakah sudah ada?"


@pytest.mark.django_db
def test_a_process_without_the_tree_reads_the_same(
    flat_data, write_framework, django_assert_num_queries
):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    first = [(node.code, node.weight_display) for node in tree_rows(framework)]

    trees.forget_tree()

    with django_assert_num_queries(1):
        again = [(node.code, node.weight_display) for node in tree_rows(framework)]
    assert again == first


@pytest.mark.django_db
def test_callers_get_their_own_copies(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    rows = tree_rows(framework)
    rows[1].name = "diubah"
    rows[1].is_indicator = False
    rows[1].extra = "milik permintaan lain"
    page = indicator_page(framework, "X1")
    page["node"].texts["question"] = "diubah"
    page["node"].texts["criteria"]["resmi"]["1"] = "diubah"

    again = tree_rows(framework)

    assert again[1].name == "Indikator Satu"
    assert again[1].is_indicator is True
    assert not hasattr(again[1], "extra")
    assert question(framework) == "Apakah ada?"
    assert indicator_page(framework, "X1")["levels"][0]["cells"][0]["text"] == "Belum ada."
    assert framework.spec(with_texts=True).by_code["X1"].texts["question"] == "Apakah ada?"


@pytest.mark.django_db
def test_rows_without_texts_read_them_only_when_asked(
    flat_data, write_framework, django_assert_num_queries
):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    [row] = [node for node in tree_rows(framework) if node.code == "X1"]

    with django_assert_num_queries(1):
        assert row.texts["question"] == "Apakah ada?"


@pytest.mark.django_db
def test_the_process_keeps_a_bounded_number_of_trees(flat_data, write_framework, monkeypatch):
    monkeypatch.setattr(trees.KEPT, "size", 2)
    frameworks = []
    for version in ("1", "2", "3"):
        flat_data["version"] = version
        framework, _outcome = load_framework_file(
            write_framework(flat_data, name=f"v{version}.json")
        )
        framework.spec()
        frameworks.append(framework)

    assert [key[0] for key in trees.KEPT.kept_keys()] == [frameworks[1].pk, frameworks[2].pk]


@pytest.mark.django_db
def test_an_indicator_by_pk_comes_from_the_kept_tree(
    flat_data, write_framework, spbe2020, django_assert_num_queries
):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    pks = node_pks(framework)
    framework.spec()

    with django_assert_num_queries(0):
        indicator = get_indicator_or_404(framework, str(pks["X1"]))
        assert indicator.parent.name == "Aspek Satu"
    assert indicator.texts["question"] == "Apakah ada?"
    for wrong in (pks["A1"], spbe2020.nodes.get(code="I1").pk, "x1", -1):
        with pytest.raises(Http404):
            get_indicator_or_404(framework, wrong)


@pytest.mark.django_db
def test_weights_read_in_the_active_language(flat_data, write_framework):
    flat_data["tree"][1]["children"][0]["weight"] = "39.5"
    flat_data["tree"][1]["weight"] = "39.5"
    flat_data["tree"][0]["children"][1]["weight"] = "20.5"
    flat_data["tree"][0]["weight"] = "60.5"
    framework, _outcome = load_framework_file(write_framework(flat_data))

    indonesian = [node.weight_display for node in tree_rows(framework)]
    with translation.override("en"):
        english = [node.weight_display for node in tree_rows(framework)]

    assert indonesian == ["60,5", "40", "20,5", "39,5", "39,5"]
    assert english == ["60.5", "40", "20.5", "39.5", "39.5"]

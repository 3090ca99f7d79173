"""The indicator's framework texts rendered once per process (submissions.texts): kept with
the framework's tree, rendered again when the version is loaded again (in this process or
in another), and kept apart per language."""

import copy
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from frameworks import services, trees
from frameworks.models import Framework
from frameworks.queries import get_indicator_or_404, node_pks
from frameworks.services import load_framework_file
from frameworks.tests.conftest import FLAT
from submissions.texts import indicator_texts


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts as a process that has rendered nothing yet."""
    trees.forget_tree()
    yield
    trees.forget_tree()


@pytest.fixture
def load(tmp_path):
    """load(data) -> the framework of a file with `data`, loaded as an administrator would."""

    def load_data(data):
        path = tmp_path / "kerangka.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        framework, _outcome = load_framework_file(path)
        return framework

    return load_data


def texts_of(framework, code="X1"):
    return indicator_texts(framework, get_indicator_or_404(framework, node_pks(framework)[code]))


def question_of(texts):
    return texts.question.split('<p class="prewrap question">')[1].split("</p>")[0]


@pytest.mark.django_db
def test_the_texts_are_rendered_once_per_process(load, django_assert_num_queries):
    framework = load(copy.deepcopy(FLAT))
    first = texts_of(framework)
    row = Framework.objects.get(pk=framework.pk)  # the next page's row, the same stamp

    with django_assert_num_queries(0):
        again = texts_of(row)

    assert again is first
    assert question_of(first) == "Apakah ada?"
    assert [(level.level, level.name) for level in first.levels] == [
        (1, "Awal"),
        (2, "Dasar"),
        (3, "Tertata"),
        (4, "Terukur"),
        (5, "Unggul"),
    ]
    assert first.attributions == '<p class="attribution">Sumber: Peraturan Uji.</p>'
    assert first.has_criteria is True
    assert first.guidance.strip() == ""  # FLAT's X1 has no guidance


@pytest.mark.django_db
def test_the_chosen_level_alone_is_open(load):
    texts = texts_of(load(copy.deepcopy(FLAT)))

    criteria = texts.criteria(open_level=5)

    assert criteria.count("<details ") == 5
    assert criteria.count(" open>") == 1
    assert 'id="kriteria-tingkat-5" data-level="5" open>' in criteria
    assert "Sudah optimal." in criteria
    assert criteria.endswith('<p class="attribution">Sumber: Peraturan Uji.</p>')
    assert " open>" not in texts.criteria()


@pytest.mark.django_db
def test_loading_a_new_version_renders_the_texts_again(load):
    data = copy.deepcopy(FLAT)
    framework = load(data)
    before = texts_of(framework)
    data["tree"][0]["children"][0]["texts"]["question"] = "Apakah sudah ada?"
    data["tree"][0]["children"][0]["texts"]["criteria"]["resmi"]["1"] = "Belum ada sama sekali."

    updated = load(data)

    assert question_of(before) == "Apakah ada?"
    fresh_row = Framework.objects.get(pk=framework.pk)
    for row in (updated, fresh_row, framework):  # the old row too: this process forgot it
        texts = texts_of(row)
        assert question_of(texts) == "Apakah sudah ada?"
        assert "Belum ada sama sekali." in texts.levels[0].closed
        assert "Belum ada." not in texts.levels[0].closed


@pytest.mark.django_db
def test_another_process_renders_the_new_version_by_its_stamp(load, monkeypatch):
    data = copy.deepcopy(FLAT)
    framework = load(data)
    assert question_of(texts_of(framework)) == "Apakah ada?"
    data["tree"][0]["children"][0]["texts"]["question"] = "Apakah sudah ada?"
    # Another process loads the file: its forgetting does not reach this process.
    with monkeypatch.context() as patch:
        patch.setattr(services, "forget_tree", lambda framework: None)
        load(data)

    row = Framework.objects.get(pk=framework.pk)  # what the next page reads

    assert question_of(texts_of(framework)) == "Apakah ada?"  # the old stamp's, as kept
    assert question_of(texts_of(row)) == "Apakah sudah ada?"


@pytest.mark.django_db
def test_the_texts_are_kept_per_language(load):
    framework = load(copy.deepcopy(FLAT))

    with translation.override("en"):
        english = texts_of(framework)
    indonesian = texts_of(framework)
    with translation.override("en"):
        english_again = texts_of(framework)

    assert english_again is english
    assert "<h2>Question</h2>" in english.question
    assert "<h2>Pertanyaan</h2>" in indonesian.question
    assert "<strong>Level 1 · Awal</strong>" in english.levels[0].closed
    assert "<strong>Tingkat 1 · Awal</strong>" in indonesian.levels[0].closed


@pytest.mark.django_db
def test_the_english_page_is_not_served_to_an_indonesian_request(
    client, cycle, agency, agency_user, indicators
):
    client.force_login(agency_user)
    url = reverse("submission_edit", args=[cycle.pk, agency.pk, indicators[0].pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(url).content.decode()

    assert "<h2>Question</h2>" in english
    assert "<strong>Level 1" in english
    assert "<strong>Assessment guidance</strong>" in english
    assert "<h2>Pertanyaan</h2>" in indonesian
    assert "<strong>Tingkat 1" in indonesian
    assert "<strong>Panduan penilaian</strong>" in indonesian
    for word in ("Question", "<strong>Level 1", "Assessment guidance"):
        assert word not in indonesian

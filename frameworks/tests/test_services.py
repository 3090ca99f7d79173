"""Loading framework files: validation before any write, idempotence, updates, freezing."""

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from frameworks.models import Framework, Node
from frameworks.scoring import FrameworkError, display, score
from frameworks.services import (
    LoadOutcome,
    freeze_framework,
    load_framework_file,
    load_framework_files,
)

from .conftest import SPBE_2018, SPBE_2020


def snapshot():
    """Everything loading may change, to compare before and after a refused load."""
    return {
        "frameworks": list(
            Framework.objects.order_by("pk").values_list(
                "pk", "code", "version", "content_hash", "is_default", "loaded_at"
            )
        ),
        "nodes": list(
            Node.objects.order_by("pk").values_list("pk", "code", "name", "weight", "parent_id")
        ),
        "audit_events": AuditEvent.objects.count(),
    }


def node(data, code):
    """The node with `code` anywhere in a framework file's tree."""
    stack = list(data["tree"])
    while stack:
        item = stack.pop()
        if item["code"] == code:
            return item
        stack += item.get("children", [])
    raise KeyError(code)


# --- Loading the shipped files ----------------------------------------------------------------


@pytest.mark.django_db
def test_spbe_2020_loads_with_its_tree_and_texts():
    framework, outcome = load_framework_file(SPBE_2020)

    assert outcome == LoadOutcome.CREATED
    assert framework.is_default is True
    assert framework.provenance == "official"
    assert Framework.objects.default() == framework
    nodes = framework.nodes.order_by("position")
    assert [n.code for n in nodes if n.kind == "domain"] == ["D1", "D2", "D3", "D4"]
    assert [n.weight for n in nodes if n.kind == "domain"] == [
        Decimal("13"),
        Decimal("25"),
        Decimal("16.5"),
        Decimal("45.5"),
    ]
    assert nodes.filter(kind="aspect").count() == 8
    assert nodes.filter(kind="indicator").count() == 47
    indicator = nodes.get(code="I11")
    assert indicator.parent.code == "A2"
    assert indicator.parent.parent.code == "D2"
    assert indicator.depth == 2
    assert indicator.weight == Decimal("2.5")
    assert indicator.capability_model == "process"
    assert sorted(indicator.texts["criteria"]) == ["pedoman", "permen"]
    assert AuditEvent.objects.filter(action="framework.created").count() == 1


@pytest.mark.django_db
def test_spbe_2018_loads_35_indicators_weighing_100():
    framework, outcome = load_framework_file(SPBE_2018)

    spec = framework.spec()
    assert outcome == LoadOutcome.CREATED
    assert framework.provenance == "reconstructed"
    assert framework.is_default is False
    assert len(spec.indicators) == 35
    assert sum(indicator.weight for indicator in spec.indicators) == Decimal("100")
    assert [(root.code, root.weight) for root in spec.roots] == [
        ("D1", Decimal("17")),
        ("D2", Decimal("28")),
        ("D3", Decimal("55")),
    ]
    assert [n.code for n in spec.nodes if n.kind == "aspect"] == [f"A{i}" for i in range(1, 8)]
    assert {indicator.weight for indicator in spec.indicators} == {
        Decimal("1"),
        Decimal("4"),
        Decimal("5"),
    }


@pytest.mark.django_db
def test_spec_from_the_database_equals_spec_from_the_file(spec2020, django_assert_num_queries):
    framework, _outcome = load_framework_file(SPBE_2020)

    with django_assert_num_queries(1):
        spec = framework.spec()

    assert spec == spec2020


@pytest.mark.django_db
def test_framework_without_domains_loads_and_scores(flat_data, write_framework):
    framework, outcome = load_framework_file(write_framework(flat_data))

    result = score(framework.spec(), {"X1": 5, "X2": 2, "X3": 3})
    assert outcome == LoadOutcome.CREATED
    assert [node.code for node in framework.nodes.filter(depth=0)] == ["A1", "A2"]
    assert result.indices["A1"] == Decimal("4")
    assert result.index == Decimal("3.6")
    assert result.rating == "Sedang"
    assert display(result.index) == "3,60"


# --- Refused files: message names file, node and problem; nothing changes ----------------------


def set_node(code, field, value):
    def change(data):
        node(data, code)[field] = value

    return change


def drop(field, code=None):
    def change(data):
        del (node(data, code) if code else data)[field]

    return change


def set_top(field, value):
    def change(data):
        data[field] = value

    return change


def set_band(position, field, value):
    def change(data):
        data["bands"][position][field] = value

    return change


BAD_FILES = {
    "missing format": (
        drop("format"),
        "kerangka.json: kolom 'format' tidak ada (harus 'monev-framework/1').",
    ),
    "wrong format": (
        set_top("format", "monev-framework/2"),
        "kerangka.json: format harus 'monev-framework/1', bukan 'monev-framework/2'.",
    ),
    "missing field": (drop("name"), "kerangka.json: berkas: kolom 'name' tidak ada."),
    "missing node field": (
        drop("name", "X2"),
        "kerangka.json: simpul X2: kolom 'name' tidak ada.",
    ),
    "duplicate code": (
        set_node("X3", "code", "X2"),
        "kerangka.json: simpul X2: kode ganda, sudah dipakai oleh simpul lain (Indikator Dua).",
    ),
    "weight not a decimal": (
        set_node("X2", "weight", "dua puluh"),
        "kerangka.json: simpul X2: weight 'dua puluh' bukan bilangan desimal (tulis mis. \"1.3\").",
    ),
    "children not summing to parent": (
        set_node("X2", "weight", "30"),
        "kerangka.json: simpul A1: bobot 60 tidak sama dengan jumlah bobot anaknya (X1, X2) = 70.",
    ),
    "top level not 100": (
        lambda data: (set_node("A2", "weight", "50")(data), set_node("X3", "weight", "50")(data)),
        "kerangka.json: jumlah bobot simpul teratas (A1, A2) harus 100, bukan 110.",
    ),
    "level key outside the scale": (
        lambda data: node(data, "X1")["texts"]["criteria"]["resmi"].update({"6": "Lebih."}),
        "kerangka.json: simpul X1: criteria resmi: kunci tingkat '6' di luar skala 1–5.",
    ),
    "unknown capability model": (
        set_node("X3", "capability_model", "layanan"),
        "kerangka.json: simpul X3: model kapabilitas 'layanan' tidak dikenal (yang dikenal: umum).",
    ),
    "unknown source": (
        lambda data: node(data, "X1")["texts"]["criteria"].update({"pedoman": {"1": "Ada."}}),
        "kerangka.json: simpul X1: sumber 'pedoman' tidak ada di sources (yang ada: resmi).",
    ),
    "bands overlapping": (
        set_band(1, "min", "2.4"),
        "kerangka.json: predikat 'Rendah' (sampai 2.5) tumpang tindih dengan "
        "predikat 'Sedang' (mulai 2.4).",
    ),
    "bands with a gap": (
        set_band(1, "min", "2.6"),
        "kerangka.json: ada celah antara predikat 'Rendah' (sampai 2.5) dan "
        "predikat 'Sedang' (mulai 2.6).",
    ),
    "bands not reaching the top": (
        set_band(2, "max", "4.5"),
        "kerangka.json: predikat tidak mencakup skala: predikat 'Tinggi' berakhir di 4.5, bukan 5.",
    ),
    "bands not starting at the bottom": (
        set_band(0, "min", "1.5"),
        "kerangka.json: predikat tidak mencakup skala: predikat 'Rendah' mulai dari 1.5, bukan 1.",
    ),
    "capability model missing a level": (
        lambda data: data["capability_models"]["umum"]["levels"].pop("5"),
        "kerangka.json: model kapabilitas 'umum': levels: tingkat 5 tidak ada.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_refused_and_nothing_changes(case, flat_data, write_framework):
    load_framework_file(write_framework(flat_data, name="asli.json"))
    before = snapshot()
    change, message = BAD_FILES[case]
    change(flat_data)
    path = write_framework(flat_data)

    with pytest.raises(FrameworkError) as error:
        load_framework_file(path)

    assert [problem.replace(str(path), path.name) for problem in error.value.problems] == [message]
    assert snapshot() == before


@pytest.mark.django_db
def test_file_that_is_not_json_is_refused(write_framework):
    path = write_framework('{"format": "monev-framework/1",')

    with pytest.raises(FrameworkError) as error:
        load_framework_file(path)

    assert str(error.value) == (
        f"{path}: bukan JSON yang sah (baris 1, kolom 32: Expecting property name enclosed in "
        "double quotes)."
    )
    assert snapshot() == {"frameworks": [], "nodes": [], "audit_events": 0}


@pytest.mark.django_db
def test_every_problem_of_a_file_is_listed(flat_data, write_framework):
    set_node("X2", "weight", "abc")(flat_data)
    set_node("X3", "capability_model", "lain")(flat_data)
    set_band(1, "min", "2.6")(flat_data)
    path = write_framework(flat_data)

    with pytest.raises(FrameworkError) as error:
        load_framework_file(path)

    assert len(error.value.problems) == 3
    assert all(problem.startswith(f"{path}: ") for problem in error.value.problems)


@pytest.mark.django_db
def test_one_bad_file_among_several_loads_none(flat_data, write_framework):
    good = write_framework(flat_data, name="baik.json")
    flat_data["version"] = "2"
    set_node("X1", "weight", "-40")(flat_data)
    bad = write_framework(flat_data, name="salah.json")

    with pytest.raises(FrameworkError) as error:
        load_framework_files([SPBE_2020, good, bad])

    assert error.value.problems == [
        f"{bad}: simpul X1: bobot -40 harus lebih dari 0, paling besar 9999.999, dengan paling "
        "banyak 3 angka desimal."
    ]
    assert snapshot() == {"frameworks": [], "nodes": [], "audit_events": 0}


# --- Reloading, updating, freezing ------------------------------------------------------------


@pytest.mark.django_db
def test_reloading_the_same_content_changes_nothing(flat_data, write_framework):
    path = write_framework(flat_data)
    load_framework_file(path)
    before = snapshot()

    framework, outcome = load_framework_file(path)

    assert outcome == LoadOutcome.UNCHANGED
    assert outcome.label == "tidak berubah"
    assert snapshot() == before


@pytest.mark.django_db
def test_changed_content_updates_the_version_in_place(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    kept = {node.code: node.pk for node in framework.nodes.all()}
    flat_data["tree"][0]["children"].pop()  # X2 goes
    set_node("X1", "weight", "60")(flat_data)
    set_node("X1", "name", "Indikator Satu (baru)")(flat_data)
    node(flat_data, "A2")["children"].append(
        {
            "code": "X4",
            "kind": "indicator",
            "number": 4,
            "name": "Indikator Empat",
            "weight": "0.5",
            "capability_model": "umum",
        }
    )
    set_node("X3", "weight", "39.5")(flat_data)

    updated, outcome = load_framework_file(write_framework(flat_data))

    assert outcome == LoadOutcome.UPDATED
    assert updated.pk == framework.pk
    nodes = {node.code: node for node in updated.nodes.all()}
    assert sorted(nodes) == ["A1", "A2", "X1", "X3", "X4"]
    assert nodes["X1"].pk == kept["X1"]
    assert nodes["X1"].name == "Indikator Satu (baru)"
    assert nodes["X1"].weight == Decimal("60")
    assert nodes["X4"].parent == nodes["A2"]
    assert [node.code for node in updated.nodes.order_by("position")] == [
        "A1",
        "X1",
        "A2",
        "X3",
        "X4",
    ]
    assert AuditEvent.objects.filter(action="framework.updated").count() == 1


@pytest.mark.django_db
def test_node_moving_under_another_parent_keeps_its_row(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    x2 = framework.nodes.get(code="X2").pk
    # A1 disappears; its indicators move under A2.
    a1 = flat_data["tree"].pop(0)
    node(flat_data, "A2")["children"][:0] = a1["children"]
    set_node("A2", "weight", "100")(flat_data)

    load_framework_file(write_framework(flat_data))

    moved = Node.objects.get(pk=x2)
    assert moved.parent.code == "A2"
    assert list(framework.nodes.order_by("position").values_list("code", flat=True)) == [
        "A2",
        "X1",
        "X2",
        "X3",
    ]


@pytest.mark.django_db
def test_frozen_version_refuses_changed_content(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))
    freeze_framework(framework)
    before = snapshot()
    set_node("X1", "name", "Nama lain")(flat_data)
    path = write_framework(flat_data)

    with pytest.raises(FrameworkError) as error:
        load_framework_file(path)

    assert str(error.value) == (
        f"{path}: uji-datar versi 1: versi ini sudah dipakai periode monev; terbitkan versi baru."
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_frozen_version_reloads_unchanged(flat_data, write_framework):
    path = write_framework(flat_data)
    framework, _outcome = load_framework_file(path)
    freeze_framework(framework)

    _framework, outcome = load_framework_file(path)

    assert outcome == LoadOutcome.UNCHANGED


@pytest.mark.django_db
def test_freezing_sets_the_time_once(flat_data, write_framework):
    framework, _outcome = load_framework_file(write_framework(flat_data))

    frozen = freeze_framework(framework)
    again = freeze_framework(frozen)

    assert frozen.frozen_at is not None
    assert again.frozen_at == frozen.frozen_at
    assert AuditEvent.objects.filter(action="framework.frozen").count() == 1


@pytest.mark.django_db
def test_a_new_default_replaces_the_old_one(flat_data, write_framework):
    spbe, _outcome = load_framework_file(SPBE_2020)
    flat_data["default"] = True

    flat, _outcome = load_framework_file(write_framework(flat_data))

    assert Framework.objects.default() == flat
    assert list(Framework.objects.filter(is_default=True)) == [flat]
    spbe.refresh_from_db()
    assert spbe.is_default is False


@pytest.mark.django_db
def test_default_is_none_without_frameworks():
    assert Framework.objects.default() is None

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from frameworks.levelsfile import read_levels_csv
from frameworks.models import Framework, kind_label
from frameworks.queries import find_framework
from frameworks.scoring import FrameworkError, display, index_str, plain, score


class Command(BaseCommand):
    help = _(
        "Menghitung indeks dan predikat dari berkas CSV tingkat indikator (kepala kolom "
        "'indicator,level': nomor resmi indikator dan tingkat 1–5)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (its version number) gives way to the framework's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help=_("kode kerangka, mis. spbe-2020"))
        parser.add_argument("--version", dest="framework_version", help=_("versi kerangka"))
        parser.add_argument("--levels", required=True, metavar="FILE", help=_("berkas CSV"))
        parser.add_argument(
            "--json", dest="json_output", action="store_true", help=_("keluaran JSON")
        )

    def handle(self, *args, framework, framework_version, levels, json_output, **options):
        try:
            found = find_framework(framework, framework_version)
        except Framework.DoesNotExist as error:
            raise CommandError(str(error)) from None
        spec = found.spec()
        try:
            result = score(spec, read_levels_csv(levels, spec))
        except FrameworkError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(as_json(result) if json_output else as_table(result))


def plural(kind):
    """The JSON key of a node kind's list: "domain" -> "domains"."""
    return kind if kind.endswith("s") else f"{kind}s"


def as_json(result):
    spec = result.spec
    data = {
        "framework": {"code": spec.code, "version": spec.version, "name": spec.name},
        "index": number(result.index),
        "index_display": index_str(result.index),
        "rating": result.rating,
        "complete": result.complete,
        "missing": list(result.missing),
    }
    for kind in spec.kinds:
        data[plural(kind)] = [
            {"code": node.code, "number": node.number, "name": node.name, "index": number(index)}
            for node, index in result.of_kind(kind)
        ]
    return json.dumps(data, ensure_ascii=False, indent=2)


def number(value):
    """The unrounded index as a JSON number."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def as_table(result):
    spec = result.spec
    rows = [
        (
            node.code,
            "  " * depth_of(spec, node) + f"{kind_label(node.kind)} {node.number}. {node.name}",
            plain(node.weight),
            display(result.indices[node.code]),
        )
        for node in spec.nodes
        if not node.is_indicator
    ]
    header = (_("Kode"), _("Simpul"), _("Bobot"), _("Indeks"))
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(4)]
    lines = [f"{spec.name} · {spec.code} {_('versi')} {spec.version}", ""]
    for row in [header, *rows]:
        lines.append(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  "
            f"{row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}"
        )
    lines += [
        "",
        f"{_('Indeks')}: {display(result.index)}",
        f"{_('Predikat')}: {result.rating or '–'}",
    ]
    return "\n".join(lines)


def depth_of(spec, node):
    return len(spec.ancestors(node.code))

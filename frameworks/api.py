"""The API of frameworks: installation-wide reference data that every signed-in user may
read, as the pages do. Read only: a framework changes only by loading its data file
(manage.py load_frameworks); no page uploads one, so neither does the API."""

from django.urls import path
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import generics, serializers

from frameworks import queries
from frameworks.models import Framework
from frameworks.scoring import weight_str


@extend_schema_serializer(component_name="FrameworkVersion")
class FrameworkSerializer(serializers.ModelSerializer):
    """A framework version with the sources its texts come from (shown wherever a text
    appears: key, label, title, attribution)."""

    indicator_count = serializers.IntegerField()
    is_frozen = serializers.BooleanField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name",
            "is_default",
            "provenance",
            "provenance_note",
            "sources",
            "scale_min",
            "scale_max",
            "indicator_count",
            "is_frozen",
            "frozen_at",
            "loaded_at",
            "content_hash",
        ]


def node_tree(node):
    """One node of the framework's tree with its children; an indicator (a node without
    children) carries its texts: question, criteria per source and level, guidance."""
    row = {
        "code": node.code,
        "kind": node.kind,
        "number": str(node.number),
        "name": node.name,
        "weight": weight_str(node.weight),
        "capability_model": node.capability_model,
    }
    if node.is_indicator:
        row["texts"] = node.texts
    else:
        row["children"] = [node_tree(child) for child in node.children]
    return row


@extend_schema_serializer(component_name="FrameworkVersionDetail")
class FrameworkDetailSerializer(FrameworkSerializer):
    capability_models = serializers.JSONField(
        help_text="{key: {name, levels: {level: {name, description}}}}"
    )
    bands = serializers.JSONField(help_text="[{rating, min, max}]: the predicate bands")
    tree = serializers.SerializerMethodField(
        help_text="The root nodes, each {code, kind, number, name, weight (percent, decimal "
        "string), capability_model, children} down to the indicators, which have `texts` "
        "({question, question_source, criteria: {source: {level: text}}, guidance, notes}) "
        "instead of children."
    )

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "capability_models", "bands", "tree"]

    def get_tree(self, framework) -> list[dict]:
        return [node_tree(root) for root in framework.spec(with_texts=True).roots]


class FrameworkList(generics.ListAPIView):
    """Every framework version of the installation, the default first."""

    serializer_class = FrameworkSerializer

    def get_queryset(self):
        return queries.frameworks_for_list()


class FrameworkDetail(generics.RetrieveAPIView):
    """One framework version (by its code and version, as on the pages) with its tree."""

    serializer_class = FrameworkDetailSerializer

    def get_object(self):
        framework = queries.get_framework(self.kwargs["code"], self.kwargs["version"])
        framework.indicator_count = len(queries.indicator_rows(framework))
        return framework


urlpatterns = [
    path("frameworks/", FrameworkList.as_view(), name="api_framework_list"),
    path(
        "frameworks/<str:code>/<str:version>/",
        FrameworkDetail.as_view(),
        name="api_framework_detail",
    ),
]

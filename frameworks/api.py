"""The API of frameworks: installation-wide reference data that every signed-in user may
read, as the pages do; and, for the installation's administrator, loading a framework file
(format monev-framework/1, as manage.py load_frameworks does)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.views import APIView

from frameworks import queries
from frameworks.fileformat import MAX_UPLOAD_BYTES
from frameworks.models import Framework
from frameworks.permissions import can_load_frameworks
from frameworks.scoring import FrameworkError, weight_str
from frameworks.services import LoadOutcome, import_framework
from monev.api import ProblemSerializer, created_or_ok


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


class FrameworkFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The framework file (JSON, format monev-framework/1, see "
        f"frameworks/data/README.md), at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
    )


class FrameworkLoadedSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=LoadOutcome.values,
        help_text="created (a new version), updated (the same version changed, no cycle "
        "has adopted it yet) or unchanged (the same content was loaded before).",
    )
    framework = FrameworkSerializer()


class FrameworkImport(APIView):
    """The installation's administrator loads a framework file; its versions are shared by
    every institution. The whole file is checked first: 400 lists every problem under
    `file`, and nothing changes. A version that a monev cycle has adopted cannot change
    (400): give the file a new version. 201 when the version is new, 200 otherwise."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": FrameworkFileSerializer},
        responses={
            201: FrameworkLoadedSerializer,
            200: FrameworkLoadedSerializer,
            **dict.fromkeys((400, 403), ProblemSerializer),
        },
    )
    def post(self, request):
        if not can_load_frameworks(request.user):
            raise PermissionDenied
        form = FrameworkFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            framework, outcome = import_framework(form.validated_data["file"], by=request.user)
        except FrameworkError as error:
            raise ValidationError({"file": error.problems}) from None
        framework.indicator_count = len(queries.indicator_rows(framework))
        answer = FrameworkLoadedSerializer({"outcome": outcome, "framework": framework}).data
        location = reverse("api_framework_detail", args=[framework.code, framework.version])
        return created_or_ok(answer, created=outcome == LoadOutcome.CREATED, location=location)


urlpatterns = [
    path("frameworks/", FrameworkList.as_view(), name="api_framework_list"),
    path("frameworks/import/", FrameworkImport.as_view(), name="api_framework_import"),
    path(
        "frameworks/<str:code>/<str:version>/",
        FrameworkDetail.as_view(),
        name="api_framework_detail",
    ),
]

"""The API of SOPs: the versions of the user's institution's SOP "Monitoring dan Evaluasi
SPBE" and one version's header and steps with their time standards, read by every user of
the institution as on the SOP sheet; and, for the institution's administrator, loading a
definition file (format monev-sop/1, as manage.py load_sop does)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.views import APIView

from monev.api import ProblemSerializer, created_or_ok
from sops import queries
from sops.models import Sop, SopStep
from sops.permissions import can_load_sop
from sops.services import MAX_UPLOAD_BYTES, LoadOutcome, SopFileError, import_sop


class SopSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(
        help_text="The version in force: the one loaded last."
    )

    class Meta:
        model = Sop
        fields = ["id", "code", "version", "name", "loaded_at", "is_current"]

    def get_is_current(self, sop) -> bool:
        return sop.pk == self.context["current_pk"]


class StepSerializer(serializers.ModelSerializer):
    actors = serializers.ListField(
        child=serializers.CharField(), help_text="Actor keys; the first owns the step."
    )
    time_display = serializers.CharField(help_text="The time standard as the sheet prints it.")

    class Meta:
        model = SopStep
        fields = [
            "number",
            "activity",
            "actors",
            "requirements",
            "time_value",
            "time_min",
            "time_unit",
            "time_label",
            "time_display",
            "output",
        ]


class SopDetailSerializer(SopSerializer):
    header = serializers.JSONField(
        help_text="The printed header: number, dates, approved_by, legal_basis, "
        "qualifications, related, equipment, warnings, records…"
    )
    actors = serializers.JSONField(help_text='[{"key": role key, "name": the SOP\'s name}]')
    steps = serializers.SerializerMethodField()

    class Meta(SopSerializer.Meta):
        fields = [*SopSerializer.Meta.fields, "header", "actors", "source", "content_hash", "steps"]

    def get_steps(self, sop) -> list[dict]:
        return StepSerializer(queries.sop_steps(sop), many=True).data


def _current_pk(user):
    current = queries.current_sop(user.institution_id)
    return current.pk if current is not None else None


class SopList(generics.ListAPIView):
    """The SOP versions loaded for the user's institution, the one in force first."""

    serializer_class = SopSerializer

    def get_queryset(self):
        return queries.sop_versions(self.request.user.institution_id)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_pk": _current_pk(self.request.user)}


class SopDetail(generics.RetrieveAPIView):
    """One SOP version of the user's institution (another institution's is 404) with its
    header, actors and steps."""

    serializer_class = SopDetailSerializer

    def get_object(self):
        return queries.get_sop_or_404(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_pk": _current_pk(self.request.user)}


class SopFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The SOP definition (JSON, format monev-sop/1, see sops/data/README.md), "
        f"at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
    )


class SopLoadedSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=LoadOutcome.values,
        help_text="created (a new version, now in force), updated (the same version changed, "
        "no cycle follows it yet) or unchanged (the same content was loaded before).",
    )
    sop = SopDetailSerializer()


class SopImport(APIView):
    """The institution's administrator loads an SOP definition file. The whole file is
    checked first: 400 lists every problem under `file`, and nothing changes. A version
    that a monev cycle follows cannot change (400): give the file a new version. The
    version loaded becomes the one in force; 201 when it is new, 200 otherwise."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": SopFileSerializer},
        responses={
            201: SopLoadedSerializer,
            200: SopLoadedSerializer,
            **dict.fromkeys((400, 403), ProblemSerializer),
        },
    )
    def post(self, request):
        if not can_load_sop(request.user):
            raise PermissionDenied
        form = SopFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            sop, outcome = import_sop(
                form.validated_data["file"], institution=request.user.institution, by=request.user
            )
        except SopFileError as error:
            raise ValidationError({"file": error.problems}) from None
        context = {"request": request, "current_pk": _current_pk(request.user)}
        answer = SopLoadedSerializer({"outcome": outcome, "sop": sop}, context=context).data
        location = reverse("api_sop_detail", args=[sop.pk])
        return created_or_ok(answer, created=outcome == LoadOutcome.CREATED, location=location)


urlpatterns = [
    path("sops/", SopList.as_view(), name="api_sop_list"),
    path("sops/import/", SopImport.as_view(), name="api_sop_import"),
    path("sops/<id:pk>/", SopDetail.as_view(), name="api_sop_detail"),
]

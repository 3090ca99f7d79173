"""The API of SOPs: the versions of the user's institution's SOP "Monitoring dan Evaluasi
SPBE" and one version's header and steps with their time standards, read by every user of
the institution as on the SOP sheet. Read only: an SOP changes only by loading its definition
file (manage.py load_sop); no page uploads one, so neither does the API."""

from django.urls import path
from rest_framework import generics, serializers

from sops import queries
from sops.models import Sop, SopStep


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


urlpatterns = [
    path("sops/", SopList.as_view(), name="api_sop_list"),
    path("sops/<id:pk>/", SopDetail.as_view(), name="api_sop_detail"),
]

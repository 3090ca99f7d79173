"""The API of cycles: the user's cycles, one cycle with its SOP steps and their clock.
Read only here; a cycle is opened and its steps move through the pages' services."""

from django.urls import path
from rest_framework import generics, serializers

from cycles.models import Cycle
from cycles.permissions import cycles_visible_to, get_cycle_or_404
from cycles.queries import step_lines


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="run.number")
    activity = serializers.CharField(source="run.step.activity")
    status = serializers.CharField(source="run.status")
    state = serializers.CharField()
    note = serializers.CharField()
    holder = serializers.CharField(source="run.holder", allow_null=True)
    started_at = serializers.DateTimeField(source="run.started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="run.finished_at", allow_null=True)
    standard = serializers.IntegerField(source="run.step.time_value")
    unit = serializers.CharField(source="run.step.time_unit")
    elapsed = serializers.FloatField(source="elapsed.value", allow_null=True, default=None)
    due = serializers.DateTimeField(source="elapsed.due", allow_null=True, default=None)
    late = serializers.BooleanField(source="elapsed.is_late", default=False)


class CycleSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.__str__", read_only=True)
    sop = serializers.CharField(source="sop.__str__", read_only=True)

    class Meta:
        model = Cycle
        fields = ["id", "year", "name", "deadline", "framework", "sop", "created_at"]


class CycleDetailSerializer(CycleSerializer):
    agencies = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(CycleSerializer.Meta):
        fields = [*CycleSerializer.Meta.fields, "agencies", "steps"]

    def get_agencies(self, cycle) -> list[int]:
        return sorted(cycle.agencies.values_list("pk", flat=True))

    def get_steps(self, cycle) -> list[dict]:
        return StepSerializer(step_lines(cycle), many=True).data


class CycleList(generics.ListAPIView):
    """The cycles the user may see (cycles.permissions.cycles_visible_to): all of the
    institution's for its staff, those their OPD takes part in for an operator."""

    serializer_class = CycleSerializer

    def get_queryset(self):
        cycles = cycles_visible_to(self.request.user)
        return cycles.select_related("framework", "sop").order_by("-year")


class CycleDetail(generics.RetrieveAPIView):
    """One cycle with its OPDs and its SOP steps: state, holder, time against the standard."""

    serializer_class = CycleDetailSerializer

    def get_object(self):
        return get_cycle_or_404(self.request.user, self.kwargs["pk"])


urlpatterns = [
    path("cycles/", CycleList.as_view(), name="api_cycle_list"),
    path("cycles/<id:pk>/", CycleDetail.as_view(), name="api_cycle_detail"),
]

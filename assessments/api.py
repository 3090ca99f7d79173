"""The API of results (hasil evaluasi mandiri): a cycle's index, every node and the
predicate, computed by the result page's own reads (assessments.queries over the engine,
frameworks.scoring); what other levels would give (nothing stored); the plan to a
predicate; the agreed levels (the coordination meeting's decisions).

And the province view: an institution's administrator grants another institution read
access to its results, whose staff then read them under /institutions/<id>/ — the index,
nodes and predicate only, never the OPDs' answers or evidence.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions, queries, services
from assessments.models import Decision, ResultsGrant
from cycles.api import CycleSerializer
from cycles.models import Cycle
from cycles.permissions import get_cycle_or_404
from evidence.models import Evidence
from frameworks.scoring import FrameworkError, index_str, score, weight_str
from institutions.models import Institution
from institutions.permissions import get_institution_or_404, is_staff_member
from monev.api import bool_param

# --- Shapes ----------------------------------------------------------------------------------


def exact(value):
    """An unrounded index for machines, exact and without trailing zeros ("2.9925");
    None for None. `index_display` beside it is the rounded one people read."""
    return None if value is None else weight_str(value)


def score_data(result, levels):
    """The engine's ScoreResult as the API answers it: the overall index and predicate,
    and every node in tree order with its weight, index and (indicators) agreed level."""
    spec = result.spec
    nodes = []
    for node in spec.nodes:
        parent = spec.parents.get(node.code)
        level = levels.get(node.code) if node.is_indicator else None
        nodes.append(
            {
                "code": node.code,
                "kind": node.kind,
                "number": node.number,
                "name": node.name,
                "parent": parent.code if parent else None,
                "weight": weight_str(node.weight),
                "index": exact(result.indices[node.code]),
                "index_display": index_str(result.indices[node.code]),
                "level": level,
                "level_name": spec.level_name(node, level) if level is not None else "",
            }
        )
    return {
        "complete": result.complete,
        "index": exact(result.index),
        "index_display": index_str(result.index),
        "rating": result.rating,
        "missing": list(result.missing),
        "nodes": nodes,
    }


def result_data(cycle):
    """The result page's numbers of `cycle` (queries.live_result), for the API."""
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    spec = result.spec
    return {
        "cycle": cycle.pk,
        "year": cycle.year,
        "framework": {"code": spec.code, "version": spec.version, "name": spec.name},
        "status": assessment.status,
        "next_rating": queries.next_rating(spec, result.rating),
        **score_data(result.score, result.levels),
    }


class NodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    number = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    weight = serializers.CharField()
    index = serializers.CharField(allow_null=True, help_text="Unrounded.")
    index_display = serializers.CharField(allow_null=True, help_text="Rounded half-up to 2.")
    level = serializers.IntegerField(allow_null=True, help_text="Indicators: the agreed level.")
    level_name = serializers.CharField()


class ScoreSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    index = serializers.CharField(allow_null=True, help_text="Unrounded; null while incomplete.")
    index_display = serializers.CharField(allow_null=True)
    rating = serializers.CharField(allow_null=True, help_text="From the unrounded index.")
    missing = serializers.ListField(child=serializers.CharField())
    nodes = NodeSerializer(many=True)


class ResultFrameworkSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()


class ResultSerializer(ScoreSerializer):
    cycle = serializers.IntegerField()
    year = serializers.IntegerField()
    framework = ResultFrameworkSerializer()
    status = serializers.CharField()
    next_rating = serializers.CharField(allow_null=True)


class WhatIfSerializer(serializers.Serializer):
    levels = serializers.DictField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text='Indicator code → level, e.g. {"I1": 4}; the other indicators as agreed.',
    )


class RaiseSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.CharField()
    name = serializers.CharField()
    from_level = serializers.IntegerField()
    to_level = serializers.IntegerField()
    index = serializers.CharField()
    index_display = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    target_min = serializers.CharField()
    start_index = serializers.CharField()
    index = serializers.CharField()
    reachable = serializers.BooleanField()
    message = serializers.CharField()
    raises = RaiseSerializer(many=True)


class PlanAnswerSerializer(serializers.Serializer):
    target_rating = serializers.CharField(allow_null=True)
    plan = PlanSerializer(allow_null=True, help_text="Null while any level is missing.")


def plan_data(view):
    plan = view.plan
    return {
        "target_min": exact(plan.target_min),
        "start_index": exact(plan.start_index),
        "index": exact(plan.index),
        "reachable": plan.reachable,
        "message": plan.message,
        "raises": [
            {
                "code": node.code,
                "number": node.number,
                "name": node.name,
                "from_level": step.from_level,
                "to_level": step.to_level,
                "index": exact(step.index),
                "index_display": index_str(step.index),
            }
            for node, step in view.steps
        ],
    }


class DecisionSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id")
    code = serializers.CharField(source="indicator.code")
    number = serializers.CharField(source="indicator.number")
    decided_by = serializers.CharField(source="decided_by.__str__")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "indicator",
            "code",
            "number",
            "level",
            "fakta",
            "analisis",
            "evidence",
            "decided_by",
            "decided_at",
        ]

    def get_evidence(self, decision) -> list[int]:
        return [piece.pk for piece in decision.evidence.all()]


# --- A cycle's result ------------------------------------------------------------------------


class Results(APIView):
    """The index, every domain / aspect / indicator and the predicate of a cycle, from the
    agreed levels so far, as the result page shows them (staff of the institution)."""

    @extend_schema(responses=ResultSerializer)
    def get(self, request, cycle_pk):
        cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
        return Response(ResultSerializer(result_data(cycle)).data)


class WhatIf(APIView):
    """What the index and predicate would be with some indicators at other levels (the
    others as agreed); nothing is stored."""

    @extend_schema(request=WhatIfSerializer, responses=ScoreSerializer)
    def post(self, request, cycle_pk):
        cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
        form = WhatIfSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = queries.live_result(queries.find_assessment(cycle))
        levels = {**result.levels, **form.validated_data["levels"]}
        try:
            scored = score(result.spec, levels)
        except FrameworkError as error:
            raise ValidationError({"levels": error.problems}) from None
        return Response(ScoreSerializer(score_data(scored, levels)).data)


class Plan(APIView):
    """The fewest one-level raises that reach a predicate (the next one above the current
    by default), as the result page's plan."""

    @extend_schema(
        parameters=[
            OpenApiParameter("target", OpenApiTypes.STR, description="A predicate, e.g. Baik.")
        ],
        responses=PlanAnswerSerializer,
    )
    def get(self, request, cycle_pk):
        cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
        assessment = queries.find_assessment(cycle)
        result = queries.live_result(assessment)
        target = request.query_params.get("target") or queries.next_rating(
            result.spec, result.rating
        )
        if target is not None:
            try:
                result.spec.band(target)
            except FrameworkError as error:
                raise ValidationError({"target": error.problems}) from None
        plan = queries.target_plan(assessment, target, result=result) if target else None
        answer = {"target_rating": target, "plan": plan_data(plan) if plan else None}
        return Response(PlanAnswerSerializer(answer).data)


class DecisionList(generics.ListAPIView):
    """The agreed level of each indicator with its FAKTA, ANALISIS and cited data dukung,
    in tree order (the coordination meeting's decisions)."""

    serializer_class = DecisionSerializer

    def get_queryset(self):
        # Nested under the cycle: 404 where the cycle is (get_cycle_or_404), else its
        # decisions when the caller may read its result (the staff), none otherwise.
        user = self.request.user
        cycle = get_cycle_or_404(user, self.kwargs["cycle_pk"])
        if not permissions.can_view_assessment(user, cycle):
            return Decision.objects.none()
        return (
            Decision.objects.filter(assessment__cycle=cycle)
            .select_related("indicator", "decided_by")
            .defer("indicator__texts")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("pk")))
            .order_by("indicator__position")
        )


# --- The province view -----------------------------------------------------------------------


class GrantSerializer(serializers.ModelSerializer):
    grantor_name = serializers.CharField(source="grantor.name", read_only=True)
    grantee_name = serializers.CharField(source="grantee.name", read_only=True)
    granted_by = serializers.CharField(source="granted_by.__str__", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ResultsGrant
        fields = [
            "id",
            "grantor",
            "grantor_name",
            "grantee",
            "grantee_name",
            "granted_by",
            "created_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = ["grantor", "created_at", "revoked_at"]


class NewGrantSerializer(serializers.Serializer):
    grantee = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())


def _grants():
    return ResultsGrant.objects.select_related("grantor", "grantee", "granted_by")


def _grantor_or_404(user):
    """The caller's institution, when the caller is its administrator (the grants' page
    would be its settings: institutions.permissions.get_institution_or_404)."""
    if user.institution_id is None:
        raise Http404
    return get_institution_or_404(user, user.institution_id)


class GrantList(generics.ListAPIView):
    """The grants the caller's institution gave, for its administrator (none for anyone
    else). POST grants another
    institution read access to the results; granting again returns the active grant."""

    serializer_class = GrantSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "active",
                OpenApiTypes.BOOL,
                description="Only active (true) or revoked (false) grants.",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The grants get_grant_or_404 opens: its administrator's; none for anyone else.
        user = self.request.user
        if user.institution_id is None or not permissions.can_grant_results(user, user.institution):
            return ResultsGrant.objects.none()
        grants = _grants().filter(grantor_id=user.institution_id)
        if (active := bool_param(self.request, "active")) is not None:
            grants = grants.filter(revoked_at__isnull=active)
        return grants

    @extend_schema(request=NewGrantSerializer, responses={201: GrantSerializer})
    def post(self, request):
        _grantor_or_404(request.user)
        form = NewGrantSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        grant = services.grant_results_access(
            by=request.user, grantee=form.validated_data["grantee"]
        )
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


class GrantRevoke(APIView):
    @extend_schema(request=None, responses=GrantSerializer)
    def post(self, request, pk):
        grant = permissions.get_grant_or_404(request.user, pk)
        return Response(
            GrantSerializer(services.revoke_results_access(grant, by=request.user)).data
        )


class ReceivedGrantList(generics.ListAPIView):
    """The institutions whose results the caller's institution may read (active grants to
    it), for its staff: their ids lead to /institutions/<id>/cycles/."""

    serializer_class = GrantSerializer

    def get_queryset(self):
        user = self.request.user
        if user.institution_id is None or not is_staff_member(user):
            return ResultsGrant.objects.none()
        return _grants().filter(grantee_id=user.institution_id, revoked_at__isnull=True)


class InstitutionCycleList(generics.ListAPIView):
    """The cycles of an institution whose results the caller may read (an active grant to
    the caller's institution, or the installation's administrator); 404 otherwise."""

    serializer_class = CycleSerializer

    def get_queryset(self):
        institution = permissions.get_results_institution_or_404(
            self.request.user, self.kwargs["institution_pk"]
        )
        return (
            Cycle.objects.filter(institution=institution)
            .select_related("framework", "sop")
            .order_by("-year", "-pk")
        )


class InstitutionCycleResults(APIView):
    """A cycle's result of an institution whose results the caller may read: the index,
    every node and the predicate (the same answer as /cycles/<id>/results/)."""

    @extend_schema(responses=ResultSerializer)
    def get(self, request, institution_pk, cycle_pk):
        institution = permissions.get_results_institution_or_404(request.user, institution_pk)
        cycle = get_object_or_404(
            Cycle.objects.select_related("framework", "institution"),
            pk=cycle_pk,
            institution=institution,
        )
        return Response(ResultSerializer(result_data(cycle)).data)


urlpatterns = [
    path("cycles/<id:cycle_pk>/results/", Results.as_view(), name="api_results"),
    path("cycles/<id:cycle_pk>/results/what-if/", WhatIf.as_view(), name="api_results_what_if"),
    path("cycles/<id:cycle_pk>/results/plan/", Plan.as_view(), name="api_results_plan"),
    path("cycles/<id:cycle_pk>/decisions/", DecisionList.as_view(), name="api_decision_list"),
    path("results-grants/", GrantList.as_view(), name="api_results_grant_list"),
    path(
        "results-grants/received/",
        ReceivedGrantList.as_view(),
        name="api_results_grant_received",
    ),
    path(
        "results-grants/<id:pk>/revoke/",
        GrantRevoke.as_view(),
        name="api_results_grant_revoke",
    ),
    path(
        "institutions/<id:institution_pk>/cycles/",
        InstitutionCycleList.as_view(),
        name="api_institution_cycle_list",
    ),
    path(
        "institutions/<id:institution_pk>/cycles/<id:cycle_pk>/results/",
        InstitutionCycleResults.as_view(),
        name="api_institution_results",
    ),
]

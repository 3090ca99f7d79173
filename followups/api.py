"""The API of findings and follow-ups (tindak lanjut): the lists and a follow-up with its
history as on the pages — staff see every OPD's, an operator only their own OPD's — and
the pages' actions: the coordinator and evaluators write a cycle's findings, the
coordinator turns a recommendation into a follow-up for an OPD, the OPD (or the
coordinator) reports progress. Same access helpers, forms and services."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cycles.permissions import get_cycle_or_404
from followups import permissions, queries, services
from followups.forms import (
    FindingForm,
    FindingTextForm,
    FollowUpCreateForm,
    FollowUpUpdateForm,
)
from followups.models import Finding, FollowUp
from monev.api import checked_form, choice_param, id_param

# The status filter: a model key, or "aktif" (open or in progress), as the page's filter.
STATUS_FILTERS = [*FollowUp.Status.values, "aktif"]


STATUS_HELP = "One of: " + ", ".join(FollowUp.Status.values)


class FollowUpSerializer(serializers.ModelSerializer):
    # A plain string in the schema (with its values named): several apps have a "status".
    status = serializers.CharField(help_text=STATUS_HELP)
    agency_short_name = serializers.CharField(source="agency.short_name")
    aspect_code = serializers.CharField(source="recommendation.aspect.code")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "cycle",
            "carried_to",
            "recommendation",
            "aspect_code",
            "agency",
            "agency_short_name",
            "description",
            "due_date",
            "status",
            "is_overdue",
            "progress_note",
            "created_at",
            "closed_at",
        ]

    def get_is_overdue(self, follow_up) -> bool:
        return follow_up.is_overdue(self.context["today"])


class UpdateSerializer(serializers.Serializer):
    status_before = serializers.CharField()
    status_after = serializers.CharField()
    note = serializers.CharField()
    by = serializers.IntegerField(source="by_id")
    by_name = serializers.CharField(source="by.get_full_name")
    at = serializers.DateTimeField()


class FollowUpDetailSerializer(FollowUpSerializer):
    recommendation_text = serializers.CharField(source="recommendation.text")
    history = serializers.SerializerMethodField()
    can_update = serializers.SerializerMethodField(
        help_text="Whether the caller may report progress (POST …/progress/)."
    )
    can_drop = serializers.SerializerMethodField(
        help_text="Whether the caller may drop it (status dibatalkan) or reopen it once closed."
    )

    class Meta(FollowUpSerializer.Meta):
        fields = [
            *FollowUpSerializer.Meta.fields,
            "recommendation_text",
            "history",
            "can_update",
            "can_drop",
        ]

    def get_history(self, follow_up) -> list[dict]:
        return UpdateSerializer(follow_up.updates.select_related("by"), many=True).data

    def get_can_update(self, follow_up) -> bool:
        return permissions.can_update_follow_up(self.context["request"].user, follow_up)

    def get_can_drop(self, follow_up) -> bool:
        return permissions.can_close_for_good(self.context["request"].user, follow_up)


class FindingSerializer(serializers.ModelSerializer):
    aspect_code = serializers.CharField(source="aspect.code")
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["id", "cycle", "aspect", "aspect_code", "kind", "text", "position", "follow_ups"]

    def get_follow_ups(self, finding) -> list[int]:
        return [follow_up.pk for follow_up in finding.follow_ups.all()]


class FindingNewSerializer(serializers.Serializer):
    """Shape only: the page's form and the service check the values, with their messages."""

    aspect = serializers.IntegerField(help_text="The aspect node's id in the cycle's framework.")
    kind = serializers.CharField(help_text="kekuatan, kelemahan or rekomendasi")
    text = serializers.CharField()


class FindingTextSerializer(serializers.Serializer):
    text = serializers.CharField()


class FollowUpCreateSerializer(serializers.Serializer):
    """Shape only: the page's form and the service check the values, with their messages."""

    agency = serializers.IntegerField(required=False)
    due_date = serializers.DateField(required=False)
    description = serializers.CharField(
        required=False, allow_blank=True, help_text="Empty: the recommendation's text."
    )


class ProgressSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=STATUS_HELP)
    note = serializers.CharField(required=False, allow_blank=True)


def _today(request):
    """The institution's date (for is_overdue); None without an institution, whose caller
    lists no follow-up."""
    institution = request.user.institution
    return None if institution is None else institution.today()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "cycle", int, description="Those made in the cycle or carried into it (its page)."
        ),
        OpenApiParameter("agency", int),
        OpenApiParameter("status", str, enum=STATUS_FILTERS, description='"aktif": not closed'),
    ]
)
class FollowUpList(generics.ListAPIView):
    """The institution's follow-ups, earliest due first: every OPD's for its staff, their
    own OPD's for an operator (permissions.follow_ups_visible_to), none for anyone else."""

    serializer_class = FollowUpSerializer

    def get_queryset(self):
        request = self.request
        rows = permissions.follow_ups_visible_to(request.user)
        if (cycle_pk := id_param(request, "cycle")) is not None:
            rows = rows.filter(Q(cycle=cycle_pk) | Q(carried_to=cycle_pk))
        if (agency_pk := id_param(request, "agency")) is not None:
            rows = rows.filter(agency=agency_pk)
        wanted = choice_param(request, "status", STATUS_FILTERS)
        if wanted == "aktif":
            rows = rows.filter(status__in=FollowUp.OPEN_STATUSES)
        elif wanted:
            rows = rows.filter(status=wanted)
        return rows.select_related(*queries.FOLLOW_UP_RELATED).order_by("due_date", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": _today(self.request)}


class FollowUpDetail(APIView):
    @extend_schema(responses=FollowUpDetailSerializer)
    def get(self, request, pk):
        """One follow-up with its history: the institution's staff and the responsible
        OPD's operators (404 for another OPD's, another institution's)."""
        follow_up = permissions.get_follow_up_or_404(request.user, pk)
        return Response(_detail(request, follow_up))


def _detail(request, follow_up):
    context = {"request": request, "today": _today(request)}
    return FollowUpDetailSerializer(follow_up, context=context).data


class FollowUpProgress(APIView):
    @extend_schema(request=ProgressSerializer, responses=FollowUpDetailSerializer)
    def post(self, request, pk):
        """Report progress: a new status, a note, or both. The OPD's operators and the
        coordinator; only the coordinator drops (with the reason as the note) or reopens."""
        user = request.user
        follow_up = permissions.get_follow_up_or_404(user, pk)
        if not permissions.can_update_follow_up(user, follow_up):
            raise Http404
        can_drop = permissions.can_close_for_good(user, follow_up)
        form = checked_form(FollowUpUpdateForm(request.data, can_drop=can_drop))
        services.update_follow_up(follow_up, by=user, **form.cleaned_data)
        follow_up = permissions.get_follow_up_or_404(user, pk)
        return Response(_detail(request, follow_up))


def _findings_of(cycle):
    return (
        Finding.objects.filter(cycle=cycle)
        .select_related("aspect")
        .prefetch_related("follow_ups")
        .order_by("aspect__position", "kind", "position", "pk")
    )


def _finding(finding):
    return FindingSerializer(_findings_of(finding.cycle).get(pk=finding.pk)).data


class FindingList(generics.ListAPIView):
    """A cycle's findings (kekuatan, kelemahan, rekomendasi) per aspect, each with its
    follow-ups' ids: the institution's staff, as the findings page (none for an OPD
    operator of the cycle; 404 for whoever may not open the cycle). POST: the coordinator
    or an evaluator adds one (the same text again on the same aspect and kind is answered,
    not added twice)."""

    serializer_class = FindingSerializer

    def get_queryset(self):
        # Nested under the cycle: 404 where the cycle is (get_cycle_or_404), else its
        # findings when the caller may read them (the staff), none otherwise.
        user = self.request.user
        cycle = get_cycle_or_404(user, self.kwargs["cycle_pk"])
        if not permissions.can_view_findings(user, cycle):
            return Finding.objects.none()
        return _findings_of(cycle)

    def _cycle(self):
        return permissions.get_findings_cycle_or_404(self.request.user, self.kwargs["cycle_pk"])

    @extend_schema(request=FindingNewSerializer, responses={201: FindingSerializer})
    def post(self, request, cycle_pk):
        cycle = self._cycle()
        if not permissions.can_edit_findings(request.user, cycle):
            raise Http404
        form = checked_form(FindingForm(request.data))
        aspect = get_object_or_404(cycle.framework.nodes, pk=form.cleaned_data["aspect"])
        finding = services.add_finding(
            cycle,
            by=request.user,
            aspect=aspect,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
        return Response(_finding(finding), status=status.HTTP_201_CREATED)


class FindingDetail(APIView):
    """Change or delete a finding: the coordinator and the evaluators, while the cycle is
    not closed (a recommendation with follow-ups cannot be deleted)."""

    def _editable(self, request, pk):
        finding = permissions.get_finding_or_404(request.user, pk)
        if not permissions.can_edit_findings(request.user, finding.cycle):
            raise Http404
        return finding

    @extend_schema(request=FindingTextSerializer, responses=FindingSerializer)
    def patch(self, request, pk):
        finding = self._editable(request, pk)
        form = checked_form(FindingTextForm(request.data))
        services.update_finding(finding, by=request.user, text=form.cleaned_data["text"])
        return Response(_finding(finding))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.delete_finding(self._editable(request, pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowUpCreate(APIView):
    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpDetailSerializer})
    def post(self, request, pk):
        """The coordinator turns a recommendation into a follow-up for one OPD (the same
        one again is answered, not made twice); the OPD's operators are notified."""
        finding = permissions.get_finding_or_404(request.user, pk)
        cycle = finding.cycle
        if not permissions.can_create_follow_up(request.user, cycle):
            raise Http404
        form = checked_form(FollowUpCreateForm(request.data, institution=cycle.institution))
        follow_up = services.create_follow_up(finding, by=request.user, **form.cleaned_data)
        follow_up = permissions.get_follow_up_or_404(request.user, follow_up.pk)
        return Response(_detail(request, follow_up), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("follow-ups/", FollowUpList.as_view(), name="api_follow_up_list"),
    path("follow-ups/<id:pk>/", FollowUpDetail.as_view(), name="api_follow_up_detail"),
    path(
        "follow-ups/<id:pk>/progress/",
        FollowUpProgress.as_view(),
        name="api_follow_up_progress",
    ),
    path("cycles/<id:cycle_pk>/findings/", FindingList.as_view(), name="api_finding_list"),
    path("findings/<id:pk>/", FindingDetail.as_view(), name="api_finding_detail"),
    path(
        "findings/<id:pk>/follow-ups/",
        FollowUpCreate.as_view(),
        name="api_finding_follow_up_create",
    ),
]

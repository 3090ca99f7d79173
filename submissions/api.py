"""The API of OPD answers (isian OPD, SOP steps 4 and 5): which indicator each OPD answers
(assignments), the answers with their review thread, saving a draft (also the first one,
by cycle, OPD and indicator), and the transitions submit, return and accept.

Every write is the page's service (submissions.services) on the object found by the page's
access helper (submissions.permissions): another institution's answer, or another OPD's for
an operator, is a 404; what the person may not do is the service's PermissionDenied (403);
a refusal by state or deadline its ValidationError, in the page's words (400). A save
names the version it was made over with If-Match (412 when the answer changed since).
"""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cycles.models import Assignment
from evidence.queries import attached_ids
from monev.api import ProblemSerializer, check_if_match, choice_param, etag_of, id_param
from submissions import permissions, queries, services
from submissions.models import Submission

ERRORS = {
    400: ProblemSerializer,
    403: ProblemSerializer,
    404: ProblemSerializer,
    409: ProblemSerializer,
    412: ProblemSerializer,
}


def _filtered(request, rows, names):
    """`rows` narrowed by the query parameters `names` (an invalid value is a 400). An id
    of a row the caller may not read simply matches none of `rows`."""
    chosen = {name: id_param(request, name) for name in names if name != "status"}
    if "status" in names:
        chosen["status"] = choice_param(request, "status", Submission.Status.values)
    return rows.filter(**{name: value for name, value in chosen.items() if value is not None})


def _parameters(*names):
    described = {
        "cycle": "The cycle's id.",
        "agency": "The OPD's id.",
        "indicator": "The indicator's node id.",
        "status": "The answer's state: draft, submitted, returned or accepted.",
    }
    return [
        OpenApiParameter(
            name,
            str if name == "status" else int,
            description=described[name],
            enum=Submission.Status.values if name == "status" else None,
        )
        for name in names
    ]


# --- Assignments ---------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cycle = serializers.IntegerField(source="cycle_id")
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField(source="agency.short_name")
    indicator = serializers.IntegerField(source="indicator_id")
    indicator_code = serializers.CharField(source="indicator.code")
    indicator_number = serializers.CharField(source="indicator.number")
    indicator_name = serializers.CharField(source="indicator.name")
    submission = serializers.IntegerField(source="submission_id", allow_null=True)
    status = serializers.CharField(
        source="submission_status", allow_null=True, help_text="null: not answered yet."
    )


@extend_schema(parameters=_parameters("cycle", "agency", "indicator"))
class AssignmentList(generics.ListAPIView):
    """Which indicator each OPD answers, with its answer's id and state (null before the
    first save): every OPD of the institution for its staff, their own OPDs for an
    operator."""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        answer = Submission.objects.filter(
            cycle=OuterRef("cycle"), indicator=OuterRef("indicator"), agency=OuterRef("agency")
        ).order_by()
        rows = (
            permissions.visible_to(self.request.user, Assignment.objects.all())
            .select_related("agency", "indicator")
            .defer("indicator__texts")
            .annotate(
                submission_id=Subquery(answer.values("pk")[:1]),
                submission_status=Subquery(answer.values("status")[:1]),
            )
            .order_by("cycle_id", "indicator__position", "agency__name", "pk")
        )
        return _filtered(self.request, rows, ("cycle", "agency", "indicator"))


# --- Answers -------------------------------------------------------------------------------


class SubmissionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="draft, submitted, returned or accepted"
    )
    agency_name = serializers.CharField(source="agency.short_name", read_only=True)
    indicator_number = serializers.CharField(source="indicator.number", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "cycle",
            "agency",
            "agency_name",
            "indicator",
            "indicator_number",
            "indicator_name",
            "status",
            "level",
            "version",
            "updated_at",
            "submitted_at",
        ]


class ReviewSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="submitted, returned, accepted or reopened")
    note = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    by = serializers.IntegerField(source="by_id")
    by_name = serializers.CharField(source="by.full_name")
    at = serializers.DateTimeField()


class SubmissionDetailSerializer(SubmissionSerializer):
    evidence = serializers.SerializerMethodField(
        help_text="The attached data dukung's ids, in attachment order (letters a, b, c …)."
    )
    reviews = serializers.SerializerMethodField(help_text="The review thread, oldest first.")

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "fakta",
            "analisis",
            "updated_by",
            "evidence",
            "reviews",
        ]

    def get_evidence(self, submission) -> list[int]:
        return attached_ids(submission)

    def get_reviews(self, submission) -> list[dict]:
        return ReviewSerializer(queries.thread(submission), many=True).data


def _answer(submission, *, status_code=status.HTTP_200_OK):
    """The answer as the detail shows it, with its version as the ETag."""
    return Response(
        SubmissionDetailSerializer(submission).data,
        status=status_code,
        headers={"ETag": etag_of(submission.version)},
    )


@extend_schema(parameters=_parameters("cycle", "agency", "indicator", "status"))
class SubmissionList(generics.ListAPIView):
    """The answers the user may see (every OPD's for the institution's staff, their own
    OPDs' for an operator), in framework order."""

    serializer_class = SubmissionSerializer

    def get_queryset(self):
        rows = (
            permissions.visible_to(self.request.user, Submission.objects.all())
            .select_related("agency", "indicator")
            .defer("indicator__texts", "fakta", "analisis")
            .order_by("cycle_id", "indicator__position", "agency__name", "pk")
        )
        return _filtered(self.request, rows, ("cycle", "agency", "indicator", "status"))


class SaveSerializer(serializers.Serializer):
    """A draft as the form sends it; the service checks the level's range and the texts'
    length. All three are sent every time (null and "" clear them)."""

    level = serializers.IntegerField(allow_null=True)
    fakta = serializers.CharField(allow_blank=True, trim_whitespace=False)
    analisis = serializers.CharField(allow_blank=True, trim_whitespace=False)
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The version the text was written over, when no If-Match is sent "
        "(0 for a new answer). Without either, the save replaces what is stored.",
    )


def save_answer(request, cycle, agency, indicator, stored):
    """services.save_draft of the request's draft over `stored` (None: no answer yet). The
    version it was made over: If-Match (412 when the answer changed since), else the body's
    `version`, else the stored one."""
    form = SaveSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    draft = dict(form.validated_data)
    current = stored.version if stored is not None else 0
    version = draft.pop("version", current)
    if "If-Match" in request.headers:
        version = check_if_match(request, current)
    submission = services.save_draft(
        cycle, indicator, agency, by=request.user, version=version, **draft
    )
    return _answer(submission, status_code=201 if stored is None else 200)


SAVE_HEADERS = [
    OpenApiParameter(
        "If-Match",
        str,
        OpenApiParameter.HEADER,
        description='The ETag of the version the change was made over, e.g. "3".',
    )
]


class SubmissionDetail(APIView):
    """One answer: level, FAKTA, ANALISIS, state, version (the ETag), data dukung and the
    review thread. PUT saves a draft of it (the OPD's operator)."""

    @extend_schema(responses={200: SubmissionDetailSerializer, 404: ProblemSerializer})
    def get(self, request, pk):
        return _answer(permissions.get_submission_or_404(request.user, pk))

    @extend_schema(
        request=SaveSerializer,
        parameters=SAVE_HEADERS,
        responses={200: SubmissionDetailSerializer, **ERRORS},
    )
    def put(self, request, pk):
        submission = permissions.get_submission_or_404(request.user, pk)
        cycle, agency, indicator = submission.cycle, submission.agency, submission.indicator
        return save_answer(request, cycle, agency, indicator, submission)


def _stored(cycle, agency, indicator):
    return (
        Submission.objects.filter(cycle=cycle, agency=agency, indicator=indicator)
        .order_by()
        .first()
    )


class AgencyAnswer(APIView):
    """The OPD's answer to one assigned indicator, by cycle, OPD and indicator: also before
    it exists (GET is a 404 then; PUT creates it, 201)."""

    def _target(self, request, cycle_pk, agency_pk, node_pk):
        cycle, agency = permissions.get_portal_or_404(request.user, cycle_pk, agency_pk)
        indicator = permissions.get_assignment_or_404(cycle, agency, node_pk).indicator
        return cycle, agency, indicator

    @extend_schema(responses={200: SubmissionDetailSerializer, 404: ProblemSerializer})
    def get(self, request, cycle_pk, agency_pk, node_pk):
        cycle, agency, indicator = self._target(request, cycle_pk, agency_pk, node_pk)
        stored = _stored(cycle, agency, indicator)
        if stored is None:
            raise Http404
        return _answer(permissions.get_submission_or_404(request.user, stored.pk))

    @extend_schema(
        request=SaveSerializer,
        parameters=SAVE_HEADERS,
        responses={200: SubmissionDetailSerializer, 201: SubmissionDetailSerializer, **ERRORS},
    )
    def put(self, request, cycle_pk, agency_pk, node_pk):
        cycle, agency, indicator = self._target(request, cycle_pk, agency_pk, node_pk)
        return save_answer(request, cycle, agency, indicator, _stored(cycle, agency, indicator))


# --- Transitions ---------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Required to return: what the OPD should fix.",
    )


class SubmissionSubmit(APIView):
    """Hand the answer in to the reviewers (its level, FAKTA and ANALISIS are required).
    Submitting it again (a retry) answers it as it is, as the page does."""

    @extend_schema(
        request=None, parameters=SAVE_HEADERS, responses={200: SubmissionDetailSerializer, **ERRORS}
    )
    def post(self, request, pk):
        submission = permissions.get_submission_or_404(request.user, pk)
        check_if_match(request, submission.version)
        try:
            services.submit_submission(submission, by=request.user)
        except ValidationError as error:
            if error.code != "submitted":
                raise
        return _answer(submission)


def _decide(request, pk, service):
    submission = permissions.get_submission_or_404(request.user, pk)
    check_if_match(request, submission.version)
    form = NoteSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    service(submission, by=request.user, note=form.validated_data.get("note", ""))
    return _answer(submission)


class SubmissionReturn(APIView):
    """Return the answer to the OPD with a note saying what to fix (coordinator or
    evaluator)."""

    @extend_schema(
        request=NoteSerializer,
        parameters=SAVE_HEADERS,
        responses={200: SubmissionDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return _decide(request, pk, services.return_submission)


class SubmissionAccept(APIView):
    """Accept the answer (coordinator or evaluator); the note is optional."""

    @extend_schema(
        request=NoteSerializer,
        parameters=SAVE_HEADERS,
        responses={200: SubmissionDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return _decide(request, pk, services.accept_submission)


ANSWER = "cycles/<id:cycle_pk>/agencies/<id:agency_pk>/indicators/<id:node_pk>/"

urlpatterns = [
    path("assignments/", AssignmentList.as_view(), name="api_assignment_list"),
    path("submissions/", SubmissionList.as_view(), name="api_submission_list"),
    path("submissions/<id:pk>/", SubmissionDetail.as_view(), name="api_submission_detail"),
    path("submissions/<id:pk>/submit/", SubmissionSubmit.as_view(), name="api_submission_submit"),
    path("submissions/<id:pk>/return/", SubmissionReturn.as_view(), name="api_submission_return"),
    path("submissions/<id:pk>/accept/", SubmissionAccept.as_view(), name="api_submission_accept"),
    path(f"{ANSWER}submission/", AgencyAnswer.as_view(), name="api_agency_answer"),
]

"""The API of data dukung: an answer's evidence with its revisions and their SHA-256, a
file uploaded to an answer (also to one not saved yet, which the first file creates), a
new revision of a file, and a revision's download.

Uploads arrive through Django's upload handlers, which spool a large file to a temporary
file; the page's services check it by its content and stream it into storage, hashing on
the way (evidence.uploads.store_upload), so no upload is ever held in memory. A download
passes the page's access check and answers through the page's helper
(evidence.views.revision_file_response): the export name, the stored bytes streamed.
"""

from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, parsers, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from evidence import permissions, services, uploads, views
from evidence.models import Evidence, EvidenceRevision
from evidence.naming import letter_of
from evidence.queries import attached_ids
from monev.api import ProblemSerializer
from submissions import permissions as submission_permissions
from submissions.queries import answer_window

ERRORS = {400: ProblemSerializer, 403: ProblemSerializer, 404: ProblemSerializer}
UPLOAD_PARSERS = [parsers.MultiPartParser]


class RevisionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceRevision
        fields = [
            "id",
            "number",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, revision) -> str:
        return reverse("api_evidence_download", args=[revision.pk])


class EvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="file or link")
    revisions = RevisionSerializer(many=True, read_only=True, help_text="Newest first.")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "cycle",
            "agency",
            "kind",
            "title",
            "url",
            "document_date",
            "created_by",
            "created_at",
            "submissions",
            "revisions",
        ]


class AttachedSerializer(EvidenceSerializer):
    letter = serializers.CharField(help_text="Its letter in the answer: a, b, c …")

    class Meta(EvidenceSerializer.Meta):
        fields = ["letter", *EvidenceSerializer.Meta.fields]


def _with_revisions(rows):
    newest_first = EvidenceRevision.objects.order_by("-number")
    return rows.prefetch_related(Prefetch("revisions", queryset=newest_first), "submissions")


def _evidence(pk):
    return _with_revisions(Evidence.objects.filter(pk=pk)).get()


def _file_field():
    return serializers.FileField(
        allow_empty_file=True,  # the service says "Berkas kosong." as the page does
        use_url=False,
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )


class UploadSerializer(serializers.Serializer):
    """One file with its title (default: the file's name) and the date the document carries.
    Its type is decided by its content, by the service."""

    file = _file_field()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    document_date = serializers.DateField(required=False, allow_null=True, default=None)


class RevisionUploadSerializer(serializers.Serializer):
    file = _file_field()


def _upload(request, serializer_class):
    form = serializer_class(data=request.data)
    form.is_valid(raise_exception=True)
    return form.validated_data


def _added(evidence):
    return Response(EvidenceSerializer(_evidence(evidence.pk)).data, status=status.HTTP_201_CREATED)


class AnswerEvidence(generics.ListAPIView):
    """GET: the answer's data dukung in attachment order (its letters), each with its
    revisions. POST (multipart): a file added to the answer (operator of the OPD, or the
    coordinator, while the OPD may still change it); the same content again on the same
    answer adds nothing and answers the piece it has."""

    serializer_class = AttachedSerializer
    parser_classes = UPLOAD_PARSERS

    def list(self, request, pk):
        submission = permissions.get_submission_or_404(request.user, pk)
        order = attached_ids(submission)
        page = self.paginate_queryset(order)
        rows = {row.pk: row for row in _with_revisions(Evidence.objects.filter(pk__in=page))}
        for pk_ in page:
            rows[pk_].letter = letter_of(order.index(pk_))
        return self.get_paginated_response(
            self.get_serializer([rows[pk_] for pk_ in page], many=True).data
        )

    @extend_schema(request=UploadSerializer, responses={201: EvidenceSerializer, **ERRORS})
    def post(self, request, pk):
        submission = permissions.get_submission_or_404(request.user, pk)
        upload = _upload(request, UploadSerializer)
        evidence = services.add_file_evidence(
            submission.cycle,
            submission.agency,
            by=request.user,
            uploaded_file=upload["file"],
            title=upload["title"],
            document_date=upload["document_date"],
            submission=submission,
            window=answer_window(submission.cycle, submission.agency),
        )
        return _added(evidence)


class AgencyAnswerEvidence(APIView):
    """A file for the OPD's answer to an assigned indicator, by cycle, OPD and indicator:
    the first one creates the (empty) answer, as on the page."""

    parser_classes = UPLOAD_PARSERS

    @extend_schema(request=UploadSerializer, responses={201: EvidenceSerializer, **ERRORS})
    def post(self, request, cycle_pk, agency_pk, node_pk):
        user = request.user
        cycle, agency = submission_permissions.get_portal_or_404(user, cycle_pk, agency_pk)
        indicator = submission_permissions.get_assignment_or_404(cycle, agency, node_pk).indicator
        upload = _upload(request, UploadSerializer)
        evidence = services.add_file_evidence(
            cycle,
            agency,
            by=user,
            uploaded_file=upload["file"],
            title=upload["title"],
            document_date=upload["document_date"],
            indicator=indicator,
        )
        return _added(evidence)


class EvidenceDetail(APIView):
    @extend_schema(responses={200: EvidenceSerializer, 404: ProblemSerializer})
    def get(self, request, pk):
        evidence = permissions.get_evidence_or_404(request.user, pk)
        return Response(EvidenceSerializer(_evidence(evidence.pk)).data)


class EvidenceRevisionUpload(APIView):
    """A new revision of a file (the older ones stay); the same content as the latest
    revision again answers that one."""

    parser_classes = UPLOAD_PARSERS

    @extend_schema(request=RevisionUploadSerializer, responses={201: RevisionSerializer, **ERRORS})
    def post(self, request, pk):
        evidence = permissions.get_evidence_or_404(request.user, pk)
        upload = _upload(request, RevisionUploadSerializer)
        revision = services.add_revision(evidence, by=request.user, uploaded_file=upload["file"])
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)


class AnyMediaRenderer(renderers.JSONRenderer):
    """Lets a download be asked for with any Accept header (the file is what it is); an
    error still answers problem details as JSON."""

    media_type = "*/*"


class RevisionDownload(APIView):
    """The revision's stored file, streamed, as an attachment with its export name
    (?isian=<answer id> names it after that answer)."""

    renderer_classes = [renderers.JSONRenderer, AnyMediaRenderer]

    @extend_schema(
        responses={
            # The file is served typed as detected when it was uploaded: one of these.
            **{
                (200, kind.content_type): OpenApiResponse(OpenApiTypes.BINARY)
                for kind in uploads.STORED_TYPES
            },
            404: ProblemSerializer,
        }
    )
    def get(self, request, pk):
        revision = permissions.get_revision_or_404(request.user, pk)
        return views.revision_file_response(revision, isian=request.query_params.get("isian"))


urlpatterns = [
    path("submissions/<id:pk>/evidence/", AnswerEvidence.as_view(), name="api_answer_evidence"),
    path(
        "cycles/<id:cycle_pk>/agencies/<id:agency_pk>/indicators/<id:node_pk>/evidence/",
        AgencyAnswerEvidence.as_view(),
        name="api_agency_answer_evidence",
    ),
    path("evidence/<id:pk>/", EvidenceDetail.as_view(), name="api_evidence_detail"),
    path(
        "evidence/<id:pk>/revisions/",
        EvidenceRevisionUpload.as_view(),
        name="api_evidence_revision",
    ),
    path(
        "evidence/revisions/<id:pk>/download/",
        RevisionDownload.as_view(),
        name="api_evidence_download",
    ),
]

"""The API of generated documents: the register the caller may see (the institution's
staff, as the page "Dokumen periode"), one document, its download served as stored (byte
for byte, never made again), and the public verification of a code — the same answer as
the page /verifikasi/<code>/, with the same check of an uploaded copy."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import permissions
from documents.downloads import file_response, successor
from documents.formal import long_date
from documents.forms import CopyCheckForm
from documents.models import Document
from documents.verification import HashingUploadHandler, document_by_code
from documents.views import download_name
from monev.api import choice_param, id_param, problem


class DocumentSerializer(serializers.ModelSerializer):
    generated_by = serializers.CharField(source="generated_by.__str__", default=None)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "cycle",
            "kind",
            "format",
            "version",
            "title",
            "number",
            "size",
            "sha256",
            "code",
            "generated_by",
            "generated_at",
            "signature",
            "signed_at",
            "download",
        ]

    def get_download(self, document) -> str:
        return reverse("api_document_download", args=[document.pk])


def _text_filter(name, description):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


class DocumentList(generics.ListAPIView):
    """The institution's generated documents, every version, newest first: its staff's
    (permissions.documents_visible_to), none for anyone else. Filters: ?cycle=, ?kind=,
    ?file_format= (?format= is DRF's own)."""

    serializer_class = DocumentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("cycle", OpenApiTypes.INT),
            _text_filter("kind", "e.g. berita_acara, letter.permohonan_data"),
            OpenApiParameter("file_format", OpenApiTypes.STR, enum=Document.Format.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        documents = permissions.documents_visible_to(request.user)
        if (cycle_pk := id_param(request, "cycle")) is not None:
            documents = documents.filter(cycle=cycle_pk)
        if kind := request.query_params.get("kind"):
            documents = documents.filter(kind=kind)
        if file_format := choice_param(request, "file_format", Document.Format.values):
            documents = documents.filter(format=file_format)
        return documents.select_related("generated_by").order_by("-generated_at", "-pk")


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer

    def get_object(self):
        return permissions.get_document_or_404(self.request.user, self.kwargs["pk"])


class DocumentDownload(APIView):
    """The stored file, byte for byte (its SHA-256 is the document's), streamed."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, pk):
        document = permissions.get_document_or_404(request.user, pk)
        return file_response(document.file, download_name(document))


# --- Public verification ---------------------------------------------------------------------


class SuccessorSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    date = serializers.CharField()


class CopySerializer(serializers.Serializer):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    identical = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    date = serializers.CharField(help_text="The date made, in the institution's time zone.")
    institution = serializers.CharField()
    sha256 = serializers.CharField()
    successor = SuccessorSerializer(allow_null=True, help_text="A later version, if any.")
    copy = CopySerializer(required=False, help_text="Only in the answer to a POSTed copy.")


class CopyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Hashed as it arrives, never stored; ≤ 100 MB.")


def verification_data(document):
    """What the public verification page shows of a document, and nothing more."""
    zone = document.institution.time_zone
    newer = successor(document)
    return {
        "code": document.code,
        "title": document.title,
        "number": document.number,
        "version": document.version,
        "generated_at": document.generated_at,
        "date": long_date(document.generated_at, time_zone=zone),
        "institution": document.institution.name,
        "sha256": document.sha256,
        "successor": {
            "version": newer.version,
            "generated_at": newer.generated_at,
            "date": long_date(newer.generated_at, time_zone=zone),
        }
        if newer
        else None,
    }


class DocumentVerify(APIView):
    """Public (no authentication): the facts of a document by its verification code, as
    typed by hand or stored; 404 for an unknown code. POST a copy (multipart, `file`) to
    learn whether it is identical to the original."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # The copy is hashed while it arrives: the handler is in place before the body is read.
        request.upload_handlers = [HashingUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    def _document(self, code):
        document = document_by_code(code)
        if document is None:
            raise Http404
        return document

    @extend_schema(responses=VerificationSerializer)
    def get(self, request, code):
        return Response(VerificationSerializer(verification_data(self._document(code))).data)

    @extend_schema(request=CopyUploadSerializer, responses=VerificationSerializer)
    def post(self, request, code):
        document = self._document(code)
        files = request.FILES
        if request._request.upload_handlers[0].too_large:
            return problem(
                413, _("Berkas terlalu besar untuk diperiksa di sini (maksimal 100 MB).")
            )
        form = CopyCheckForm(request.data, files)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        copy = form.cleaned_data["file"]
        data = verification_data(document)
        data["copy"] = {
            "name": copy.name,
            "sha256": copy.sha256,
            "identical": copy.sha256 == document.sha256,
        }
        return Response(VerificationSerializer(data).data)


urlpatterns = [
    path("documents/", DocumentList.as_view(), name="api_document_list"),
    path("documents/<id:pk>/", DocumentDetail.as_view(), name="api_document_detail"),
    path("documents/<id:pk>/download/", DocumentDownload.as_view(), name="api_document_download"),
    path("documents/verify/<str:code>/", DocumentVerify.as_view(), name="api_document_verify"),
]

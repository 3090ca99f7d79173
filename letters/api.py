"""The API of letters (surat, SOP steps 1-3): the letters the user may see, one letter with
its dispositions and receipts, its downloads, and the actions of its way to the OPDs
(submit, approve or return, number, sign, dispatch).

Each view does what the letter's page does: finds the letter through
permissions.get_letter_or_404, asks the page's predicate where the page asks one, and
calls the page's service; the service's refusals become problem details (monev.api).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from institutions.permissions import is_staff_member
from letters import permissions, queries, services
from letters.models import Letter
from letters.views import dispatch_warnings, document_response, signed_file_response
from monev.api import ProblemSerializer, choice_param, id_param


class CycleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class LetterSerializer(serializers.ModelSerializer):
    cycle = CycleRefSerializer(read_only=True)
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "cycle",
            "kind",
            "status",
            "number",
            "subject",
            "letter_date",
            "recipients",
            "signed_at",
            "dispatched_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_recipients(self, letter) -> list[int]:
        return [agency.pk for agency in letter.recipients.all()]


class SignerSerializer(serializers.Serializer):
    name = serializers.CharField(source="signer_name")
    title = serializers.CharField(source="signer_title")
    nip = serializers.CharField(source="signer_nip")


class DispositionSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    submitted_by = serializers.CharField(source="submitted_by.full_name")
    submitted_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.full_name", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    verdict = serializers.CharField()
    note = serializers.CharField()
    instruction = serializers.CharField()
    addressed_to = serializers.CharField()


class ReceiptSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    delivered_at = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)
    opened_by = serializers.CharField(source="opened_by.full_name", allow_null=True)


class DownloadsSerializer(serializers.Serializer):
    pdf = serializers.CharField()
    docx = serializers.CharField()
    signed_pdf = serializers.CharField(allow_null=True)


class LetterDetailSerializer(LetterSerializer):
    """One letter as its page shows it: staff see its dispositions and receipts, an OPD
    operator the letter itself. `actions`: what the caller may do with it now
    (permissions.available_actions; "dispose" is approve/ or return/)."""

    recipients = AgencyRefSerializer(many=True, read_only=True)
    signer = SignerSerializer(source="*", read_only=True)
    carbon_copies = serializers.ListField(
        source="carbon_copy_lines", child=serializers.CharField(), read_only=True
    )
    signature = serializers.CharField(
        read_only=True, help_text="upload or internal once signed; empty before."
    )
    next_actor = serializers.CharField(read_only=True, allow_null=True)
    actions = serializers.SerializerMethodField()
    dispositions = serializers.SerializerMethodField()
    receipts = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta(LetterSerializer.Meta):
        fields = [
            *LetterSerializer.Meta.fields,
            "agency",
            "nature",
            "attachment",
            "body",
            "carbon_copies",
            "signer",
            "signature",
            "next_actor",
            "actions",
            "dispositions",
            "receipts",
            "downloads",
            "created_at",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def get_actions(self, letter) -> list[str]:
        return sorted(permissions.available_actions(self._user(), letter))

    @extend_schema_field(DispositionSerializer(many=True))
    def get_dispositions(self, letter):
        if not is_staff_member(self._user()):
            return []
        return DispositionSerializer(queries.dispositions_of(letter), many=True).data

    @extend_schema_field(ReceiptSerializer(many=True))
    def get_receipts(self, letter):
        if not is_staff_member(self._user()) or letter.status != Letter.Status.DISPATCHED:
            return []
        return ReceiptSerializer(queries.receipts_of(letter), many=True).data

    @extend_schema_field(DownloadsSerializer)
    def get_downloads(self, letter):
        request = self.context["request"]

        def url(name):
            return request.build_absolute_uri(reverse(name, args=[letter.pk]))

        return {
            "pdf": url("api_letter_pdf"),
            "docx": url("api_letter_docx"),
            "signed_pdf": url("api_letter_signed_pdf") if letter.signed_file else None,
        }


class LetterList(generics.ListAPIView):
    """The letters the user may see (permissions.letters_visible_to): every letter of the
    institution for its staff, the dispatched letters addressed to their OPD for an OPD
    operator. Newest cycle first."""

    serializer_class = LetterSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("cycle", int, description="A cycle's id."),
            OpenApiParameter("agency", int, description="An addressed OPD's id."),
            OpenApiParameter("kind", str, enum=Letter.Kind.values),
            OpenApiParameter("status", str, enum=Letter.Status.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        letters = permissions.letters_visible_to(request.user)
        if (cycle := id_param(request, "cycle")) is not None:
            letters = letters.filter(cycle_id=cycle)
        if (agency := id_param(request, "agency")) is not None:
            letters = letters.filter(recipients=agency)
        if kind := choice_param(request, "kind", Letter.Kind.values):
            letters = letters.filter(kind=kind)
        if status := choice_param(request, "status", Letter.Status.values):
            letters = letters.filter(status=status)
        return (
            letters.select_related("cycle")
            .prefetch_related("recipients")
            .order_by("-cycle__year", "cycle_id", "kind", "id")
        )


def _answer(request, pk):
    """The letter's state after an action, as GET would show it."""
    letter = permissions.get_letter_or_404(request.user, pk)
    return Response(LetterDetailSerializer(letter, context={"request": request}).data)


def _on_field(error, field):
    """The service's refusal attached to the field the page attaches it to."""
    return ValidationError({field: error.error_list})


ERRORS = dict.fromkeys((400, 403, 404), ProblemSerializer)
ACTION = {200: LetterDetailSerializer, **ERRORS}


def _simple_action(service, description):
    """A POST that calls `service(letter, by=user)` and answers the letter's new state."""

    @extend_schema(request=None, responses=ACTION, description=description)
    @api_view(["POST"])
    def view(request, pk):
        service(permissions.get_letter_or_404(request.user, pk), by=request.user)
        return _answer(request, pk)

    return view


letter_submit = _simple_action(
    services.submit_letter,
    "The coordinator submits the draft (or the corrected returned letter) for disposition.",
)
letter_number = _simple_action(
    services.number_letter,
    "The secretariat gives the approved letter the next number of its register.",
)


class DispatchedLetterSerializer(LetterDetailSerializer):
    warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What the page warns of after dispatching (step 4 without the Surat Edaran).",
    )

    class Meta(LetterDetailSerializer.Meta):
        fields = [*LetterDetailSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


@extend_schema(request=None, responses={200: DispatchedLetterSerializer, **ERRORS})
@api_view(["POST"])
def letter_dispatch(request, pk):
    """The secretariat sends the signed letter to its OPDs (receipts, notifications)."""
    letter = permissions.get_letter_or_404(request.user, pk)
    warnings = dispatch_warnings(letter)
    services.dispatch_letter(letter, by=request.user)
    response = _answer(request, pk)
    response.data["warnings"] = warnings
    return response


@extend_schema(responses={200: LetterDetailSerializer, 404: ProblemSerializer})
@api_view(["GET"])
def letter_detail(request, pk):
    """One letter. An OPD operator reading it marks it opened for their OPD, as on the page."""
    letter = permissions.get_letter_or_404(request.user, pk)
    if permissions.is_recipient_operator(request.user, letter):
        services.mark_letter_opened(letter, by=request.user)
    return Response(LetterDetailSerializer(letter, context={"request": request}).data)


class DispositionInputSerializer(serializers.Serializer):
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
    addressed_to = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _dispose(request, pk, *, approve):
    letter = permissions.get_letter_or_404(request.user, pk)
    form = DispositionInputSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        services.dispose_letter(letter, by=request.user, approve=approve, **form.validated_data)
    except ValidationError as error:
        if getattr(error, "code", None) == "note_required":
            raise _on_field(error, "note") from None
        raise
    return _answer(request, pk)


@extend_schema(request=DispositionInputSerializer, responses=ACTION)
@api_view(["POST"])
def letter_approve(request, pk):
    """The supervisor approves the submitted letter with a disposition (instruction, to whom
    it goes on, an optional note)."""
    return _dispose(request, pk, approve=True)


@extend_schema(request=DispositionInputSerializer, responses=ACTION)
@api_view(["POST"])
def letter_return(request, pk):
    """The supervisor returns the submitted letter to the coordinator; the note is required."""
    return _dispose(request, pk, approve=False)


class SignatureInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Letter.Signature.choices)
    signed_pdf = serializers.FileField(
        required=False, allow_null=True, help_text="The signed PDF (method upload), ≤ 20 MB."
    )


@extend_schema(request={"multipart/form-data": SignatureInputSerializer}, responses=ACTION)
@api_view(["POST"])
def letter_sign(request, pk):
    """The secretariat records the numbered letter's signature: the signed PDF from TTE /
    SRIKANDI (method upload, checked by its content), or the signer's internal approval."""
    letter = permissions.get_letter_or_404(request.user, pk)
    # Before the input, as the page: a refused person learns nothing from its errors.
    if not permissions.can_sign_letter(request.user, letter):
        raise PermissionDenied
    form = SignatureInputSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    upload = form.validated_data["method"] == Letter.Signature.UPLOAD
    try:
        services.record_signature(
            letter,
            by=request.user,
            signed_pdf=form.validated_data.get("signed_pdf") if upload else None,
            internal_approval=not upload,
        )
    except ValidationError as error:
        if upload:
            raise _on_field(error, "signed_pdf") from None
        raise
    return _answer(request, pk)


def _file_schema(media_type):
    return extend_schema(responses={(200, media_type): OpenApiTypes.BINARY, **ERRORS})


@_file_schema("application/pdf")
@api_view(["GET"])
def letter_pdf(request, pk):
    """The letter as PDF, as its page serves it (the stored version, or a new one when the
    letter changed since)."""
    letter = permissions.get_letter_or_404(request.user, pk)
    return document_response(letter, by=request.user, format="pdf")


@_file_schema("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
@api_view(["GET"])
def letter_docx(request, pk):
    """The letter as DOCX, as its page serves it."""
    letter = permissions.get_letter_or_404(request.user, pk)
    return document_response(letter, by=request.user, format="docx")


@_file_schema("application/pdf")
@api_view(["GET"])
def letter_signed_pdf(request, pk):
    """The signed PDF as it was uploaded, byte for byte (404 for an internal approval)."""
    return signed_file_response(permissions.get_letter_or_404(request.user, pk))


urlpatterns = [
    path("letters/", LetterList.as_view(), name="api_letter_list"),
    path("letters/<id:pk>/", letter_detail, name="api_letter_detail"),
    path("letters/<id:pk>/submit/", letter_submit, name="api_letter_submit"),
    path("letters/<id:pk>/approve/", letter_approve, name="api_letter_approve"),
    path("letters/<id:pk>/return/", letter_return, name="api_letter_return"),
    path("letters/<id:pk>/number/", letter_number, name="api_letter_number"),
    path("letters/<id:pk>/sign/", letter_sign, name="api_letter_sign"),
    path("letters/<id:pk>/dispatch/", letter_dispatch, name="api_letter_dispatch"),
    path("letters/<id:pk>/pdf/", letter_pdf, name="api_letter_pdf"),
    path("letters/<id:pk>/docx/", letter_docx, name="api_letter_docx"),
    path("letters/<id:pk>/signed-pdf/", letter_signed_pdf, name="api_letter_signed_pdf"),
]

"""The API of accounts: who the caller is, and the caller's personal tokens (created,
listed, revoked; a token's text is shown once, in the answer that creates it); the
institution's OPDs and, for its administrator, its accounts and the OPD and user imports —
through the same access helpers, forms and services as the pages."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from institutions import permissions, queries, services
from institutions.forms import NewUserForm, UserForm
from institutions.models import Agency, ApiToken, Function, Membership, Role, User
from institutions.permissions import get_api_token_or_404, memberships_of, tokens_of
from institutions.services.tokens import create_api_token, revoke_api_token
from institutions.views import IMPORTS
from monev.api import bool_param, checked_form, choice_param, id_param


class MembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id", allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    institution = serializers.IntegerField(source="institution_id", allow_null=True)
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[dict]:
        return MembershipSerializer(memberships_of(user), many=True).data


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; keep it secret.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class Me(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenList(generics.ListCreateAPIView):
    """The caller's own tokens (never their text). POST creates one and answers its text
    once."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return tokens_of(self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def post(self, request):
        form = TokenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, text = create_api_token(
            by=request.user,
            name=form.validated_data["name"],
            expires_at=form.validated_data.get("expires_at"),
        )
        token.token = text
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevoke(APIView):
    @extend_schema(request=None, responses=TokenSerializer)
    def post(self, request, pk):
        token = get_api_token_or_404(request.user, pk)
        return Response(TokenSerializer(revoke_api_token(token, by=request.user)).data)


urlpatterns = [
    path("me/", Me.as_view(), name="api_me"),
    path("tokens/", TokenList.as_view(), name="api_token_list"),
    path("tokens/<id:pk>/revoke/", TokenRevoke.as_view(), name="api_token_revoke"),
]


# --- OPDs (agencies) ------------------------------------------------------------------------


def _require_people_manager(user):
    """The institution's administrator; anyone else gets 404, as on the pages."""
    if not permissions.can_manage_people(user):
        raise Http404


class AgencySerializer(serializers.ModelSerializer):
    functions = serializers.ListField(child=serializers.ChoiceField(Function.choices))
    operator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "short_name",
            "head_name",
            "head_title",
            "email",
            "functions",
            "is_active",
            "operator_count",
        ]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class AgencyDetailSerializer(AgencySerializer):
    operators = serializers.SerializerMethodField()

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "operators"]

    def get_operators(self, agency) -> list[dict]:
        return PersonSerializer(agency.operators, many=True).data


class AgencyRowSerializer(serializers.Serializer):
    """One OPD as a row of the OPD import (the short name is its key): only shaped here,
    checked by the import's own rules (institutions.services.check_agencies)."""

    name = serializers.CharField(allow_blank=True, default="")
    short_name = serializers.CharField(allow_blank=True, default="")
    head_name = serializers.CharField(allow_blank=True, default="")
    head_title = serializers.CharField(allow_blank=True, default="")
    email = serializers.CharField(allow_blank=True, default="")
    functions = serializers.ListField(child=serializers.CharField(), default=list)

    def row(self):
        values = self.validated_data
        return {
            "nama": values["name"].strip(),
            "singkatan": values["short_name"].strip(),
            "kepala": values["head_name"].strip(),
            "jabatan_kepala": values["head_title"].strip(),
            "surel": values["email"].strip(),
            "fungsi": ";".join(values["functions"]),
        }


class AgencyChangeSerializer(AgencyRowSerializer):
    """The fields to change; the short name is the OPD's key in imports and stays."""

    name = serializers.CharField(allow_blank=True, required=False)
    short_name = None
    head_name = serializers.CharField(allow_blank=True, required=False)
    head_title = serializers.CharField(allow_blank=True, required=False)
    email = serializers.CharField(allow_blank=True, required=False)
    functions = serializers.ListField(child=serializers.CharField(), required=False)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="XLSX or CSV, the first row naming the columns.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Only check the rows and say what would be written."
    )
    token = serializers.CharField(
        required=False,
        default="",
        help_text="A key of your own: the same import sent again with it is written once.",
    )


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    to_create = serializers.IntegerField()
    to_update = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    repeated = serializers.BooleanField()


def _agencies_with_operator_count(user):
    return (
        permissions.agencies_visible_to(user)
        .annotate(operator_count=Count("memberships", filter=Q(memberships__role=Role.AGENCY)))
        .order_by("name")
    )


def _agency_detail(user, pk):
    """An OPD the user may see (404 for another institution's or another OPD's), with its
    operators, as on its page."""
    agency = permissions.get_agency_or_404(user, pk)
    agency.operators = list(
        User.objects.filter(memberships__agency=agency, memberships__role=Role.AGENCY).order_by(
            "full_name"
        )
    )
    agency.operator_count = len(agency.operators)
    return agency


def _raise_row_errors(report, *, one_row=False):
    """The import's row errors as the API's 400: {line: [messages]} for a file, the
    messages alone for one OPD sent as JSON."""
    if one_row:
        raise ValidationError([str(error.message) for error in report.errors])
    errors = {}
    for error in report.errors:
        errors.setdefault(str(error.line), []).append(str(error.message))
    raise ValidationError(errors)


def _import_agency_row(user, row):
    """Create or update one OPD through the OPD import (same checks, same audit event)."""
    report = services.import_agencies(user.institution, [(1, row)], by=user)
    if not report.ok:
        _raise_row_errors(report, one_row=True)
    agency = user.institution.agencies.get(short_name__iexact=row["singkatan"])
    return _agency_detail(user, agency.pk), report.created


@extend_schema(parameters=[OpenApiParameter("is_active", bool)])
class AgencyList(generics.ListAPIView):
    """The OPDs the caller may read (permissions.agencies_visible_to) with their number of
    operators: every OPD of the institution for its staff, their own for an operator. POST:
    the administrator creates an OPD, or updates the one with the same short name, as one
    row of the OPD import."""

    serializer_class = AgencySerializer

    def get_queryset(self):
        agencies = _agencies_with_operator_count(self.request.user)
        if (active := bool_param(self.request, "is_active")) is not None:
            agencies = agencies.filter(is_active=active)
        return agencies

    @extend_schema(
        request=AgencyRowSerializer,
        responses={200: AgencyDetailSerializer, 201: AgencyDetailSerializer},
    )
    def post(self, request):
        _require_people_manager(request.user)
        form = AgencyRowSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        agency, created = _import_agency_row(request.user, form.row())
        return Response(
            AgencyDetailSerializer(agency).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AgencyDetail(APIView):
    @extend_schema(responses=AgencyDetailSerializer)
    def get(self, request, pk):
        """One OPD: the institution's staff, and the OPD's own operators."""
        return Response(AgencyDetailSerializer(_agency_detail(request.user, pk)).data)

    @extend_schema(request=AgencyChangeSerializer, responses=AgencyDetailSerializer)
    def patch(self, request, pk):
        """The administrator changes an OPD's name, head or functions (through the OPD
        import, whose key is the short name)."""
        _require_people_manager(request.user)
        agency = _agency_detail(request.user, pk)
        current = {
            "name": agency.name,
            "short_name": agency.short_name,
            "head_name": agency.head_name,
            "head_title": agency.head_title,
            "email": agency.email,
            "functions": agency.functions,
        }
        change = AgencyChangeSerializer(data=request.data, partial=True)
        change.is_valid(raise_exception=True)
        form = AgencyRowSerializer(data={**current, **change.validated_data})
        form.is_valid(raise_exception=True)
        agency, _created = _import_agency_row(request.user, form.row())
        return Response(AgencyDetailSerializer(agency).data)


class ImportView(APIView):
    """Import OPDs or users from an XLSX/CSV file, as the administrator's import page: every
    row checked first (400 with each row's problems, nothing written), then all rows written
    or none. `dry_run` only checks."""

    parser_classes = [MultiPartParser]
    kind = ""

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer}, responses=ImportReportSerializer
    )
    def post(self, request):
        _require_people_manager(request.user)
        check, write, _columns, required = IMPORTS[self.kind]
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            rows = services.read_table(form.validated_data["file"], required=required)
        except services.ImportFileError as error:
            raise ValidationError({"file": str(error)}) from None
        institution, dry_run = request.user.institution, form.validated_data["dry_run"]
        if dry_run:
            report = check(institution, rows, by=request.user)
        else:
            report = write(institution, rows, by=request.user, token=form.validated_data["token"])
        if not report.ok:
            _raise_row_errors(report)
        answer = {
            "dry_run": dry_run,
            "to_create": report.to_create,
            "to_update": report.to_update,
            "created": report.created,
            "updated": report.updated,
            "repeated": report.repeated,
        }
        return Response(ImportReportSerializer(answer).data)


# --- Users ----------------------------------------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    """An account (never its password or second-factor secret)."""

    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "nip",
            "position",
            "is_active",
            "last_login",
            "date_joined",
            "roles",
        ]

    def get_roles(self, user) -> list[dict]:
        return MembershipSerializer(user.memberships.all(), many=True).data


class UserDetailSerializer(UserSerializer):
    locked_out = serializers.SerializerMethodField()
    has_second_factor = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "locked_out", "has_second_factor"]

    def get_locked_out(self, user) -> bool:
        return queries.is_locked_out(user)

    def get_has_second_factor(self, user) -> bool:
        return queries.has_second_factor(user)


class UserWriteSerializer(serializers.Serializer):
    """The account form's fields (shape only: the page's form checks them, with its
    messages)."""

    full_name = serializers.CharField()
    email = serializers.CharField(required=False, allow_blank=True)
    nip = serializers.CharField(required=False, allow_blank=True)
    position = serializers.CharField(required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(Role.choices))
    agency = serializers.IntegerField(
        required=False, allow_null=True, help_text="The OPD of the `agency` (operator) role."
    )


class NewUserSerializer(UserWriteSerializer):
    username = serializers.CharField()
    invite = serializers.BooleanField(
        required=False, help_text="E-mail the invitation link now (when there is an address)."
    )


class InvitationSerializer(serializers.Serializer):
    emailed = serializers.BooleanField()
    link = serializers.CharField(
        allow_null=True,
        help_text="The one-time link, when the account has no e-mail address to send it to.",
    )


def _users_of(user):
    return user.institution.users.order_by("username").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.order_by("role", "pk"))
    )


def _managed_person(request, pk):
    _require_people_manager(request.user)
    return permissions.get_user_or_404(request.user, pk)


@extend_schema(
    parameters=[
        OpenApiParameter("role", str, enum=Role.values),
        OpenApiParameter("agency", int),
        OpenApiParameter("is_active", bool),
    ]
)
class UserList(generics.ListAPIView):
    """The institution's accounts, for its administrator (none for anyone else). POST creates
    one as the page "Pengguna baru": the same form, rules and messages, no usable password
    (the person sets it from the invitation link)."""

    serializer_class = UserSerializer

    def get_queryset(self):
        user = self.request.user
        # The accounts are the administrator's to read (as UserDetail): none for anyone else.
        users = _users_of(user) if permissions.can_manage_people(user) else User.objects.none()
        if role := choice_param(self.request, "role", Role.values):
            users = users.filter(memberships__role=role)
        if (agency_pk := id_param(self.request, "agency")) is not None:
            users = users.filter(memberships__agency=agency_pk)
        if (active := bool_param(self.request, "is_active")) is not None:
            users = users.filter(is_active=active)
        return users.distinct()

    @extend_schema(request=NewUserSerializer, responses={201: UserDetailSerializer})
    def post(self, request):
        _require_people_manager(request.user)
        institution = request.user.institution
        form = checked_form(NewUserForm(request.data, institution=institution))
        person = services.create_user(institution, by=request.user, **form.account_values())
        if form.cleaned_data["invite"] and person.email:
            services.send_invitation(person, by=request.user)
        person = _users_of(request.user).get(pk=person.pk)
        return Response(UserDetailSerializer(person).data, status=status.HTTP_201_CREATED)


class UserDetail(APIView):
    @extend_schema(responses=UserDetailSerializer)
    def get(self, request, pk):
        person = _managed_person(request, pk)
        return Response(UserDetailSerializer(_users_of(request.user).get(pk=person.pk)).data)

    @extend_schema(request=UserWriteSerializer, responses=UserDetailSerializer)
    def patch(self, request, pk):
        """Change an account as the page "Ubah": the fields not sent keep their values. The
        administrator cannot take away their own administrator role."""
        person = _managed_person(request, pk)
        current = UserForm.initial_for(person)
        current["agency"] = current["agency"].pk if current["agency"] else None
        sent = request.data
        if hasattr(sent, "getlist"):  # a form-encoded body: roles is a repeated field
            sent = {name: sent.getlist(name) if name == "roles" else sent[name] for name in sent}
        data = {**current, **sent}
        form = checked_form(UserForm(data, institution=request.user.institution))
        services.update_user(person, by=request.user, **form.account_values())
        return Response(UserDetailSerializer(_users_of(request.user).get(pk=person.pk)).data)


class UserAction(APIView):
    """deactivate, reactivate, unlock (lift the sign-in lockout), reset-second-factor (a
    lost phone): the same services as the page's buttons (an administrator cannot
    deactivate themselves)."""

    service = None

    @extend_schema(request=None, responses=UserDetailSerializer)
    def post(self, request, pk):
        person = _managed_person(request, pk)
        self.service(person, by=request.user)
        return Response(UserDetailSerializer(_users_of(request.user).get(pk=person.pk)).data)


class UserInvite(APIView):
    @extend_schema(request=None, responses=InvitationSerializer)
    def post(self, request, pk):
        """Send the invitation link again (an inactive account cannot be invited). Without an
        e-mail address the link is in the answer, once, for the administrator to pass on."""
        person = _managed_person(request, pk)
        link = services.send_invitation(person, by=request.user)
        emailed = bool(person.email)
        return Response({"emailed": emailed, "link": None if emailed else link})


urlpatterns += [
    path("agencies/", AgencyList.as_view(), name="api_agency_list"),
    path("agencies/<id:pk>/", AgencyDetail.as_view(), name="api_agency_detail"),
    path("agencies/import/", ImportView.as_view(kind="opd"), name="api_agency_import"),
    path("users/", UserList.as_view(), name="api_user_list"),
    path("users/<id:pk>/", UserDetail.as_view(), name="api_user_detail"),
    path(
        "users/<id:pk>/deactivate/",
        UserAction.as_view(service=services.deactivate_user),
        name="api_user_deactivate",
    ),
    path(
        "users/<id:pk>/reactivate/",
        UserAction.as_view(service=services.reactivate_user),
        name="api_user_reactivate",
    ),
    path(
        "users/<id:pk>/unlock/",
        UserAction.as_view(service=services.unlock_user),
        name="api_user_unlock",
    ),
    path(
        "users/<id:pk>/reset-second-factor/",
        UserAction.as_view(service=services.reset_second_factor),
        name="api_user_reset_second_factor",
    ),
    path("users/<id:pk>/invite/", UserInvite.as_view(), name="api_user_invite"),
    path("users/import/", ImportView.as_view(kind="pengguna"), name="api_user_import"),
]

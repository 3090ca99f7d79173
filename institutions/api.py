"""The API of accounts: who the caller is, and the caller's personal tokens (created,
listed, revoked; a token's text is shown once, in the answer that creates it)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from institutions.models import ApiToken
from institutions.permissions import memberships_of
from institutions.services.tokens import create_api_token, revoke_api_token


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
        return ApiToken.objects.filter(user=self.request.user)

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
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        return Response(TokenSerializer(revoke_api_token(token, by=request.user)).data)


urlpatterns = [
    path("me/", Me.as_view(), name="api_me"),
    path("tokens/", TokenList.as_view(), name="api_token_list"),
    path("tokens/<int:pk>/revoke/", TokenRevoke.as_view(), name="api_token_revoke"),
]

"""The API of the audit trail: the events a person may read (audit.permissions), oldest
first, with each event's place in its institution's hash chain (seq, prev_hash, hash) and
the exact fields the hash is computed over, so a program can verify the chain itself:
SHA-256 over the JSON of {seq, institution, actor, cycle, action, target, before, after,
reason, created_at, prev_hash} with sorted keys, no spaces, UTF-8 (audit.chain.canonical)."""

import datetime

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from audit.models import AuditEvent
from audit.permissions import audit_events_for
from monev.api import id_param


class AuditEventSerializer(serializers.ModelSerializer):
    created_at = serializers.SerializerMethodField(
        help_text="UTC, ISO 8601, exactly as the hash reads it."
    )
    actor_name = serializers.SerializerMethodField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "institution",
            "actor",
            "actor_name",
            "cycle",
            "action",
            "target",
            "before",
            "after",
            "reason",
            "created_at",
            "prev_hash",
            "hash",
        ]

    def get_created_at(self, event) -> str:
        return event.created_at.astimezone(datetime.UTC).isoformat()

    def get_actor_name(self, event) -> str | None:
        return None if event.actor is None else event.actor.get_full_name()


@extend_schema(
    parameters=[
        OpenApiParameter("cycle", int, description="One cycle's events (its history page)."),
        OpenApiParameter("action", str, description='One action, e.g. "user.created".'),
        OpenApiParameter("after_seq", int, description="Only the events after this seq."),
    ]
)
class AuditEventList(generics.ListAPIView):
    """The audit events the caller may read (audit.permissions.audit_events_for), in chain
    order: the institution's whole trail for its administrator, every cycle's events for
    the other staff, none for anyone else; `cycle` narrows them to one cycle's history."""

    serializer_class = AuditEventSerializer

    def get_queryset(self):
        params = self.request.query_params
        events = audit_events_for(self.request.user)
        if (cycle_pk := id_param(self.request, "cycle")) is not None:
            # The cycle's history: its events among those the caller may read.
            events = events.filter(cycle=cycle_pk)
        if params.get("action"):
            events = events.filter(action=params["action"])
        if (after_seq := id_param(self.request, "after_seq")) is not None:
            events = events.filter(seq__gt=after_seq)
        return events.select_related("actor").order_by("seq", "id")


urlpatterns = [
    path("audit-events/", AuditEventList.as_view(), name="api_audit_event_list"),
]

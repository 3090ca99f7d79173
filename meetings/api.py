"""The API of the coordination meeting (SOP step 6): the meetings the caller may see, one
meeting, its daftar hadir, and the attendance desk's actions (walk-ins, checking in) through
the page's services. The levels agreed in the meeting: /cycles/<id>/decisions/
(assessments.api)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from meetings import permissions, queries, services
from meetings.forms import AttendeeForm
from meetings.models import Attendee, Meeting
from monev.api import id_param


class MeetingSerializer(serializers.ModelSerializer):
    ends_at = serializers.DateTimeField(read_only=True)
    invitation = serializers.IntegerField(source="invitation_id", allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "cycle",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "place",
            "agenda",
            "started_at",
            "invitation",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    ended_at = serializers.DateTimeField(allow_null=True, help_text="When step 6 finished.")
    frozen = serializers.CharField(
        allow_null=True, help_text="Why its records are read-only, or null."
    )
    minutes = serializers.CharField(allow_null=True, help_text="Staff only; null for others.")
    minutes_version = serializers.IntegerField(allow_null=True)
    present_count = serializers.IntegerField(allow_null=True, help_text="Staff only.")
    listed_count = serializers.IntegerField(allow_null=True, help_text="Staff only.")

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "ended_at",
            "frozen",
            "minutes",
            "minutes_version",
            "present_count",
            "listed_count",
        ]


class AttendeeSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", default="", read_only=True)
    present = serializers.BooleanField(source="is_present", read_only=True)
    checked_in_by = serializers.CharField(
        source="checked_in_by.__str__", default=None, read_only=True
    )

    class Meta:
        model = Attendee
        fields = [
            "id",
            "user",
            "name",
            "position",
            "agency",
            "agency_name",
            "unit",
            "invited",
            "present",
            "checked_in_at",
            "checked_in_by",
        ]


class NewAttendeeSerializer(serializers.Serializer):
    """A walk-in (validated by the page's form, meetings.forms.AttendeeForm)."""

    name = serializers.CharField(max_length=200)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    agency = serializers.IntegerField(required=False, allow_null=True, help_text="An OPD's id.")
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    present = serializers.BooleanField(default=True, help_text="Checked in now.")


class MeetingList(generics.ListAPIView):
    """The meetings the caller may see (permissions.meetings_visible_to): every
    meeting of the institution for its staff, those they are invited to for anyone else."""

    serializer_class = MeetingSerializer

    @extend_schema(parameters=[OpenApiParameter("cycle", OpenApiTypes.INT)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        meetings = permissions.meetings_visible_to(self.request.user)
        cycle = id_param(self.request, "cycle")
        if cycle is not None:
            meetings = meetings.filter(cycle_id=cycle)
        return meetings.order_by("-starts_at", "-pk")


def _detail(user, meeting):
    staff = permissions.can_view_documents(user, meeting)
    frozen = permissions.frozen_reason(meeting)
    present, listed = queries.attendance_count(meeting) if staff else (None, None)
    meeting.ended_at = permissions.ended_at(meeting)
    meeting.frozen = str(frozen) if frozen else None
    meeting.present_count, meeting.listed_count = present, listed
    if not staff:
        meeting.minutes, meeting.minutes_version = None, None
    return MeetingDetailSerializer(meeting).data


class MeetingDetail(APIView):
    """One cycle's meeting: for its institution's staff, and for people invited to it."""

    @extend_schema(responses=MeetingDetailSerializer)
    def get(self, request, cycle_pk):
        meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
        return Response(_detail(request.user, meeting))


class AttendeeList(generics.ListAPIView):
    """The daftar hadir in its printed order for the staff; an invited person who is not
    staff sees their own row, as on the page. POST adds a walk-in (the attendance desk:
    the coordinator or the secretariat), checked in now unless `present` is false."""

    serializer_class = AttendeeSerializer

    def get_queryset(self):
        user = self.request.user
        meeting = permissions.get_meeting_or_404(user, self.kwargs["cycle_pk"])
        if permissions.can_view_documents(user, meeting):
            return queries.attendance_rows(meeting)
        return list(meeting.attendees.filter(user=user).select_related("agency", "checked_in_by"))

    @extend_schema(request=NewAttendeeSerializer, responses={201: AttendeeSerializer})
    def post(self, request, cycle_pk):
        meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
        if not permissions.can_prepare_meeting(request.user, meeting):
            raise PermissionDenied
        form = AttendeeForm(
            {"present": True, **request.data}, institution=meeting.cycle.institution
        )
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        attendee = services.add_attendee(meeting, by=request.user, **form.cleaned_data)
        return Response(AttendeeSerializer(attendee).data, status=status.HTTP_201_CREATED)


class CheckIn(APIView):
    """Check a row of the daftar hadir in: the person on it, or the attendance desk.
    Checking in twice changes nothing."""

    @extend_schema(request=None, responses=AttendeeSerializer)
    def post(self, request, cycle_pk, pk):
        meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
        attendee = get_object_or_404(
            Attendee.objects.select_related("agency", "checked_in_by"), pk=pk, meeting=meeting
        )
        attendee.meeting = meeting
        return Response(AttendeeSerializer(services.check_in(attendee, by=request.user)).data)


class CheckInSelf(APIView):
    """ "Saya hadir": the caller's own row of the daftar hadir (404 when not invited)."""

    @extend_schema(request=None, responses=AttendeeSerializer)
    def post(self, request, cycle_pk):
        meeting = permissions.get_meeting_or_404(request.user, cycle_pk)
        attendee = get_object_or_404(
            Attendee.objects.select_related("agency", "checked_in_by"),
            meeting=meeting,
            user=request.user,
        )
        attendee.meeting = meeting
        return Response(AttendeeSerializer(services.check_in(attendee, by=request.user)).data)


urlpatterns = [
    path("meetings/", MeetingList.as_view(), name="api_meeting_list"),
    path("cycles/<id:cycle_pk>/meeting/", MeetingDetail.as_view(), name="api_meeting_detail"),
    path(
        "cycles/<id:cycle_pk>/meeting/attendees/",
        AttendeeList.as_view(),
        name="api_meeting_attendee_list",
    ),
    path(
        "cycles/<id:cycle_pk>/meeting/attendees/<id:pk>/check-in/",
        CheckIn.as_view(),
        name="api_meeting_check_in",
    ),
    path(
        "cycles/<id:cycle_pk>/meeting/check-in/",
        CheckInSelf.as_view(),
        name="api_meeting_check_in_self",
    ),
]

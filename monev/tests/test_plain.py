"""monev.plain builds the same model instances as the ORM, and inserts rows as save() does,
on SQLite and PostgreSQL alike (dates, times, booleans, JSON, NULLs)."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from institutions.models import Agency, Institution, Role, User
from monev import plain

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def read(model, pk):
    sql = (
        f"SELECT {plain.select_list(model, 'x')} FROM {plain.table(model)} x "
        f"WHERE x.{plain.column(model, 'id')} = %s"
    )
    return plain.instance(model, plain.fetch(sql, [pk])[0])


def test_an_instance_read_plain_equals_the_orms(institution, agency, coordinator):
    coordinator.last_login = timezone.now()
    coordinator.is_staff = True
    coordinator.save()
    for model, pk in ((Institution, institution.pk), (Agency, agency.pk), (User, coordinator.pk)):
        read_plain, read_orm = read(model, pk), model.objects.get(pk=pk)
        assert fields_of(read_plain) == fields_of(read_orm)
        assert read_plain._state.adding is False and read_plain._state.db == "default"
    assert read(Agency, agency.pk).functions == ["sdm"]  # JSON decoded
    assert read(User, coordinator.pk).is_staff is True  # a boolean, not 1
    assert isinstance(read(User, coordinator.pk).last_login, datetime.datetime)
    assert read(User, coordinator.pk).last_login.tzinfo is not None


def test_the_missing_side_of_a_left_join_is_none(institution, coordinator):
    membership = coordinator.memberships.get()
    assert membership.role == Role.COORDINATOR
    sql = (
        f"SELECT {plain.select_list(Agency, 'a')} FROM {plain.table(User)} u "
        f"LEFT JOIN {plain.table(Agency)} a ON a.{plain.column(Agency, 'id')} = %s "
        f"WHERE u.{plain.column(User, 'id')} = %s"
    )
    assert plain.instance(Agency, plain.fetch(sql, [-1, coordinator.pk])[0]) is None


def test_an_insert_stores_what_save_would(institution, coordinator):
    event = AuditEvent(
        institution=institution,
        actor=coordinator,
        action="test.plain",
        target="x:1",
        before=None,
        after={"level": 3, "teks": "ä"},
        seq=1,
        prev_hash="0" * 64,
        hash="1" * 64,
        created_at=timezone.now(),
    )
    plain.insert(event)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert event._state.adding is False
    assert fields_of(stored) == fields_of(event)
    assert stored.before is None and stored.after == {"level": 3, "teks": "ä"}

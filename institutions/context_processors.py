from django.utils.functional import SimpleLazyObject, cached_property

from cycles.waiting import cached_waiting_for, waiting_count
from institutions import permissions


class MembershipView:
    """What templates ask about the current user's roles, computed once per request."""

    def __init__(self, user):
        self.roles = permissions.roles_of(user)
        self.agencies = permissions.agencies_of(user)
        self.is_staff_member = permissions.is_staff_member(user)
        self.is_admin = permissions.can_manage_people(user)
        self._user = user

    @cached_property
    def waiting(self):
        """What waits for the person's action (cycles.waiting), computed once per request:
        the inbox lists it, the home page too."""
        return cached_waiting_for(self._user)

    @cached_property
    def waiting_count(self):
        """The menu badge: how many items the person's waiting list has (counted without
        building the list on the pages that do not show it)."""
        return waiting_count(self._user)


def membership(request):
    return {"membership": SimpleLazyObject(lambda: MembershipView(request.user))}

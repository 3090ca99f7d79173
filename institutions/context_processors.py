from django.utils.functional import SimpleLazyObject, cached_property

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
    def unread(self):
        return self._user.notifications.filter(read_at=None).count()


def membership(request):
    return {"membership": SimpleLazyObject(lambda: MembershipView(request.user))}

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check that refuses a locked-out account-and-address pair.

    Without a request there is no address to count against: Django's test client `login()`
    and code calling authenticate() by hand pass none. Then the check is skipped instead of
    failing (the login form always passes the request, so every real attempt is counted).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

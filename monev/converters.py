"""URL and query ids: a row id is a positive 64-bit integer. A larger number in a URL is
no route (404) and in a query parameter no id, never a database error (SQLite cannot bind
an integer past 64 bits)."""

MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>` in every URL pattern: Django's `int`, bounded to what a row id can be."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value):
        return str(value)


def parse_id(value):
    """`value` (a query parameter) as a row id, or None when it cannot be one."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None

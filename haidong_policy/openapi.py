"""drf-spectacular hooks."""


def strip_trailing_slash(endpoints, **kwargs):
    """Our API paths take an optional trailing slash (`/?$`); document them without it."""
    return [(path.rstrip("/") or "/", regex, method, callback) for path, regex, method, callback in endpoints]

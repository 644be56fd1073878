"""Every named URL pattern of the service, read from the URL resolver, for the tests that try
every door (tests/test_sign_in_everywhere.py, tests/security/test_every_door.py)."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (
                prefix + str(pattern.pattern),
                (f"{namespace}:{pattern.name}" if namespace else pattern.name),
            )


def named_routes() -> list[tuple[str, str]]:
    """(route, "namespace:name") for every named pattern, sorted."""
    return sorted(set(_walk(get_resolver().url_patterns)))

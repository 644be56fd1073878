"""Pages for people without an account, reached by a one-time link (the feedback and
child's-views links, the document portal): no staff navigation, nobody's name in the header,
never cached, and the token in the address never sent to another site."""

from django.shortcuts import render

TOO_MANY = "public/too_many.html"


def public_page(request, template: str, context: dict | None = None, *, status: int = 200):
    response = render(
        request, template, {"navigation": [], "user": None, **(context or {})}, status=status
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site
    return response


def too_many(request, *, layout: str):
    """429: too many tries from this address (each door's attempt limit), in its own layout."""
    return public_page(request, TOO_MANY, {"layout": layout}, status=429)

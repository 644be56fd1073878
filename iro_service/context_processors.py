def service(request):
    """What every page's footer says: whose service it is, and, where the demo runs (DEBUG, as
    `make run` serves it), that its data is invented. A live service never claims that."""
    from django.conf import settings

    return {"authority_name": settings.IRO_AUTHORITY_NAME, "demo_notice": settings.DEBUG}

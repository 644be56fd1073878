def navigation(request):
    """The navigation items the signed-in user's role may use (filled in by people.access)."""
    from .access import navigation_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    if getattr(request, "iro_pending_step", None):  # MFA and accounts (issue 12)
        return {"navigation": []}  # until two-step sign-in (people.mfa) is done
    return {"navigation": navigation_for(user, request.path)}

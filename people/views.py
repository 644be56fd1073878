from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .forms import SignInForm


@require_GET
def home(request):
    """Each role lands on its work list: business support the list to book, IROs their next
    four weeks, the Senior IRO the team's; everyone else finds a child."""
    from conferences.views.diary import landing

    if not request.user.is_authenticated:
        return redirect("children:search")
    return landing(request)


class SignInView(auth_views.LoginView):
    """Username and password. django-axes (people/lockouts.py) counts each failure and, once
    the username or the address is locked out, refuses before the password is checked and
    answers with its own page (HTTP 429) in place of this one.

    After a right password (and only then) form_valid signs the user in: the hook for a step
    between the two. The code from an authenticator app (people/mfa.py) follows the sign-in
    instead, page by page."""

    template_name = "people/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and say so on the sign-in page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response

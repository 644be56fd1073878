from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from .forms import SignInForm


def home(request):
    """Each role lands on its work list: business support the list to book, IROs their next
    four weeks, the Senior IRO the team's; everyone else finds a child."""
    from conferences.views.diary import landing

    if not request.user.is_authenticated:
        return redirect("children:search")
    return landing(request)


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and say so on the sign-in page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response

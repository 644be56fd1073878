from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from .forms import SignInForm


def home(request):
    return redirect("children:search")


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

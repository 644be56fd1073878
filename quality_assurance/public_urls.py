"""Pages reached by a one-time link, without an account: a parent's or carer's feedback and a
child's views. Every view here is marked login_not_required and checks its token."""

from django.urls import path

from .views import public

app_name = "respond"
urlpatterns: list = [
    path("", public.start, name="start"),
    path("feedback/", public.feedback_page, name="feedback_by_code"),
    path("feedback/<str:token>/", public.feedback_page, name="feedback"),
    path("views/", public.views_page, name="views_by_code"),
    path("views/<str:token>/", public.views_page, name="views"),
    path("thank-you/", public.thanks, name="thanks"),
]

"""Pages reached by a one-time link, without an account: a parent's or carer's feedback and a
child's views. Every view here is marked login_not_required and checks its token."""

app_name = "respond"
urlpatterns: list = []

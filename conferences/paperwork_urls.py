"""After a conference: the decision sheet and the minutes."""

urlpatterns: list = []

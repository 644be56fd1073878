from django.urls import include, path

from . import holding_urls, paperwork_urls, strategy_urls
from .views import booking, diary, leaflets, meetings, proposals

app_name = "conferences"

urlpatterns = [
    path("to-book/", booking.to_book, name="to_book"),
    path("book/<int:household_pk>/<str:list_kind>/", booking.book, name="book"),
    path("book/<int:household_pk>/<str:list_kind>/check/", booking.book_check, name="book_check"),
    path("<int:pk>/", booking.detail, name="detail"),
    path("<int:pk>/rearrange/", booking.rearrange, name="rearrange"),
    path("<int:pk>/cancel/", booking.cancel, name="cancel"),
    path("<int:pk>/propose/", proposals.propose, name="propose"),
    path("<int:pk>/invitees/", include("conferences.invitation_urls")),
    path(
        "strategy-meetings/book/<int:household_pk>/",
        meetings.strategy_meeting_book,
        name="strategy_meeting_book",
    ),
    path("strategy-meetings/<int:pk>/", meetings.strategy_meeting_detail, name="strategy_meeting"),
    path(
        "strategy-meetings/<int:pk>/cancel/",
        meetings.strategy_meeting_cancel,
        name="strategy_meeting_cancel",
    ),
    path("enquiries/new/<int:child_pk>/", meetings.enquiry_record, name="enquiry_record"),
    path("enquiries/<int:pk>/outcome/", meetings.enquiry_decide, name="enquiry_decide"),
    path(
        "transfers-in/new/<int:child_pk>/", meetings.transfer_in_record, name="transfer_in_record"
    ),
    path("diary/", diary.diary, name="diary"),
    path("my-work/", diary.work_list, name="work_list"),
    # Information leaflets sent with invitations (§8.4).
    path("leaflets/", leaflets.leaflet_list, name="leaflets"),
    path("leaflets/<int:pk>/leaflet.pdf", leaflets.leaflet_file, name="leaflet_file"),
]
# Holding a conference, its paperwork afterwards, and holding strategy meetings: each in its
# own module of routes (conferences part 2).
urlpatterns += holding_urls.urlpatterns + paperwork_urls.urlpatterns + strategy_urls.urlpatterns

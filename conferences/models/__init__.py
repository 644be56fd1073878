"""Conferences, strategy meetings, section 47 enquiries and the paperwork around them."""

from .invitations import Invitee, ReportChaser, ReportRequest
from .meetings import (
    Attendance,
    Category,
    Conference,
    ConferenceChild,
    ExcludedChild,
    S47Enquiry,
    ScheduledRecord,
    StrategyMeeting,
    StrategyMeetingChild,
    TransferIn,
    Venue,
    local_date,
)
from .proposals import DateProposal

__all__ = [
    "Attendance",
    "Category",
    "Conference",
    "ConferenceChild",
    "DateProposal",
    "ExcludedChild",
    "Invitee",
    "ReportChaser",
    "ReportRequest",
    "S47Enquiry",
    "ScheduledRecord",
    "StrategyMeeting",
    "StrategyMeetingChild",
    "TransferIn",
    "Venue",
    "local_date",
]

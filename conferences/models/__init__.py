"""Conferences, strategy meetings, section 47 enquiries and the paperwork around them."""

from .invitations import Invitee, ReportChaser, ReportRequest
from .leaflets import Leaflet
from .meetings import (
    Attendance,
    Category,
    Conference,
    ConferenceChild,
    Dissent,
    ExcludedChild,
    InitialConferenceDue,
    MinutesUpload,
    PlanEndReason,
    S47Enquiry,
    SafetyScale,
    ScheduledRecord,
    SignsOfSafety,
    StrategyMeeting,
    StrategyMeetingAttendance,
    StrategyMeetingChild,
    TransferIn,
    Venue,
    local_date,
)
from .portal import PortalLink, ReportDocument, ReportShare, ShareWarning
from .proposals import DateProposal

__all__ = [
    "Attendance",
    "Category",
    "Conference",
    "ConferenceChild",
    "Dissent",
    "DateProposal",
    "ExcludedChild",
    "InitialConferenceDue",
    "Invitee",
    "Leaflet",
    "MinutesUpload",
    "PlanEndReason",
    "PortalLink",
    "ReportChaser",
    "ReportDocument",
    "ReportRequest",
    "ReportShare",
    "S47Enquiry",
    "SafetyScale",
    "ShareWarning",
    "SignsOfSafety",
    "ScheduledRecord",
    "StrategyMeeting",
    "StrategyMeetingAttendance",
    "StrategyMeetingChild",
    "TransferIn",
    "Venue",
    "local_date",
]

"""The conferences API: the booking desk's operations through the same services, selectors and
access rules as its pages (style.md rule 5)."""

"""The only code that creates or changes conferences, strategy meetings, section 47 enquiries
and transfers in (style.md: services push). Split by area: booking, strategy meetings and
enquiries, invitations and reports."""

"""Filters of the dashboard and the monthly lists: a year or a month end, and a district.

A district manager's district is fixed: the field is disabled, so whatever is submitted their
own district is used, and the page shows it as text. Asking for another district by changing
the address is answered 404 by the view before the form runs (selectors.district_for_query).
"""

from datetime import date

from django import forms

from people.access import district_scope
from people.models import User

from .selectors import district_list_for, month_ends_up_to, reporting_years


def _year_label(year: int) -> str:
    return f"{year - 1}/{str(year)[-2:]} (1 April {year - 1} to 31 March {year})"


class DistrictFilterMixin:
    """A district select: the whole authority or one district, or a district manager's own."""

    def _add_district(self, user: User) -> None:
        fixed = district_scope(user) is not None
        self.fields["district"] = forms.ModelChoiceField(
            queryset=district_list_for(user),
            required=fixed,
            empty_label=None if fixed else "Whole authority",
            disabled=fixed,
            label="District",
        )
        if fixed:
            self.initial["district"] = district_scope(user)

    @property
    def district_is_fixed(self) -> bool:
        return self.fields["district"].disabled


class DashboardFilterForm(DistrictFilterMixin, forms.Form):
    year = forms.TypedChoiceField(
        label="Reporting year", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user: User, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        years = reporting_years(today=today)
        self.fields["year"].choices = [(year, _year_label(year)) for year in years]
        self.initial.setdefault("year", years[0])
        self._add_district(user)

    def clean_year(self) -> int:
        """No year given: the current one."""
        return self.cleaned_data["year"] or self.initial["year"]


class MonthlyListsForm(DistrictFilterMixin, forms.Form):
    on = forms.TypedChoiceField(
        label="Month end", coerce=date.fromisoformat, required=False, empty_value=None
    )

    def __init__(self, *args, user: User, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        ends = month_ends_up_to(today)
        self.fields["on"].choices = [(end.isoformat(), end.strftime("%-d %B %Y")) for end in ends]
        self.initial.setdefault("on", ends[0].isoformat())
        self._add_district(user)

    def clean_on(self) -> date:
        """No month end given: the latest."""
        return self.cleaned_data["on"] or date.fromisoformat(self.initial["on"])


class RefreshForm(DistrictFilterMixin, forms.Form):
    """What a manager asks to refresh: the same year and district as the page they are on."""

    year = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args, user: User, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in reporting_years(today=today)]
        self._add_district(user)

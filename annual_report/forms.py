from django import forms

from .narrative import MAX_LENGTH
from .sections import year_label


class ReportCreateForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Reporting year",
        coerce=int,
        help_text="1 April to 31 March. The new report starts with the sample narrative.",
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year_label(year)) for year in years]


class SectionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea,
        help_text=(
            "Paragraphs are separated by a blank line. A line starting with ## and a space is "
            "a heading; a line starting with - and a space is a bullet. Cite a figure with "
            "its name in double square brackets, for example [[ni64.percent]]."
        ),
    )

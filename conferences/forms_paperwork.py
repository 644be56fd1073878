"""Forms of the paperwork after a conference. They check what was typed or chosen; the
services in services/paperwork.py decide what is allowed (and check an uploaded file)."""

from django import forms

from .selectors_paperwork import STAGES


class MinutesTextForm(forms.Form):
    text = forms.CharField(
        label="Draft minutes",
        widget=forms.Textarea(attrs={"rows": 20}),
        strip=True,
        help_text="Saving again keeps the earlier version in the conference's history.",
        error_messages={"required": "Enter the minutes"},
    )


class MinutesUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the minutes as a document",
        help_text="A PDF or a Word document (.docx), smaller than 10 MB. Earlier uploads are kept.",
        error_messages={
            "required": "Choose the minutes document to upload",
            "empty": "The chosen file is empty",
            "invalid": "Choose the minutes document to upload",
        },
    )


class PaperworkFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="Waiting for", choices=[("", "Anything"), *STAGES.items()], required=False
    )
    district = forms.IntegerField(required=False, min_value=1)
    mine = forms.BooleanField(required=False)

"""Forms of the document portal. They check what was typed or chosen; services/portal.py
checks the file by its bytes and decides what is allowed."""

from django import forms
from django.conf import settings

from .services.portal import ANSWER_MAX_LENGTH, TEMPLATE_QUESTIONS


class ReportFileForm(forms.Form):
    file = forms.FileField(
        label="Upload your report",
        error_messages={
            "required": "Choose the report to upload",
            "empty": "The chosen file is empty",
            "invalid": "Choose the report to upload",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"A PDF or a Word document (.docx), smaller than {settings.IRO_REPORT_MAX_MB}MB."
        )


class AgencyReportForm(forms.Form):
    """The standardised agency report (§8.2): four short questions, each answered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, hint in TEMPLATE_QUESTIONS:
            self.fields[name] = forms.CharField(
                label=question,
                help_text=hint,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "required": f"Answer: {question[0].lower()}{question[1:]}",
                    "max_length": f"The answer must be {ANSWER_MAX_LENGTH:,} characters or fewer",
                },
            )

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name, _, _ in TEMPLATE_QUESTIONS}


class ShareForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label="Which reports to share",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one report to share",
            "invalid_choice": "Choose from this conference's reports as they are now",
        },
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(d.pk): d for d in documents}
        self.fields["documents"].choices = [
            (
                str(d.pk),
                f"{d.report.author.name}, {d.report.author.role} "
                f"({d.report.author.get_agency_display()})",
            )
            for d in documents
        ]

    def chosen(self) -> list:
        return [self.documents[pk] for pk in self.cleaned_data["documents"]]

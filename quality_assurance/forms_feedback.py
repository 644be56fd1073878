"""Forms of parent/carer feedback and the child's views: the questionnaire (online and typed
in from paper), the code typed at /respond/, and choosing a child for a views link. They
check what was typed or chosen; the services decide what is allowed."""

from django import forms
from django.conf import settings

from iro_service.forms import GovukDateField

from .models import FeedbackQuestionnaire, YesPartlyNo
from .services.feedback import QUESTIONS

STRESS_CHOICES = [
    (1, "1 – not stressful"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 – very stressful"),
]


class QuestionnaireForm(forms.Form):
    """The questions in plain English: yes, partly or no; stress 1 to 5; comments. A question
    whose answer the record already holds (`known`, from the document portal) is not asked."""

    def __init__(self, *args, known: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in QUESTIONS:
            if name in (known or {}):
                continue
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=YesPartlyNo.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose yes, partly or no"},
            )
        self.fields["stress_level"] = forms.TypedChoiceField(
            label="How stressful did the conference feel?",
            help_text="1 is not stressful at all, 5 is very stressful.",
            choices=STRESS_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a number from 1 to 5"},
        )
        self.fields["comments"] = forms.CharField(
            label="Is there anything else you want to tell us?",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": "Comments must be 5,000 characters or fewer"},
        )

    def answers(self) -> dict:
        return dict(self.cleaned_data)


class PaperFeedbackForm(QuestionnaireForm):
    """A paper return, typed in by business support: who answered and when it came."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = dict(self.fields)
        self.fields.clear()
        self.fields["respondent"] = forms.ChoiceField(
            label="Who filled it in",
            choices=FeedbackQuestionnaire.Respondent.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose who filled in the form"},
        )
        self.fields["received_on"] = GovukDateField(
            label="Date received",
            help_text="For example, 27 3 2027",
            error_messages={"required": "Enter the date the form was received"},
        )
        self.fields.update(questions)
        self.fields["comments"].label = "Comments written on the form"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        help_text="It is 10 letters and numbers, printed in your letter. For example, ABCDE 23456.",
        max_length=20,
        strip=True,
        error_messages={"required": "Enter the code from your letter"},
    )


class ChildViewsForm(forms.Form):
    words = forms.CharField(
        label="What do you want the conference to know?",
        help_text="You can write about what is going well, what worries you, and what you would "
        "like to happen.",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "Write 10,000 characters or fewer"},
    )
    picture = forms.FileField(
        label="Send a picture or a drawing",
        required=False,
        help_text=f"A photo (JPEG or PNG) or a PDF, smaller than {settings.IRO_UPLOAD_MAX_MB}MB.",
        error_messages={"empty": "The chosen file is empty"},
    )


class ViewsLinkForm(forms.Form):
    child = forms.TypedChoiceField(
        label="Which child is the link for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose a child at this conference who does not have a link yet",
        },
    )
    email_social_worker = forms.BooleanField(
        label="Email the link to the child's social worker",
        required=False,
        initial=True,
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [
            (child.pk, f"{child.first_name} {child.last_name}") for child in children
        ]

"""The chair's QA form page: one radio group per question asked at the conference (from
quality_assurance.questions). Every field may be left blank here, so a draft saves whatever is
given; completing it is checked by the service, whose messages land on the fields."""

from django import forms

from .models import QAForm, YesNoNA
from .questions import BOOLEAN, YES_NO_NA, Question, qa_questions_for

BOOLEAN_CHOICES = [("yes", "Yes"), ("no", "No")]


def _choices(question: Question):
    if question.kind == YES_NO_NA:
        return YesNoNA.choices
    if question.kind == BOOLEAN:
        return BOOLEAN_CHOICES
    return QAForm._meta.get_field(question.field).choices


def as_form_value(question: Question, value) -> str:
    if question.kind == BOOLEAN:
        return "" if value is None else ("yes" if value else "no")
    return value or ""


class QAFormForm(forms.Form):
    good_practice_note = forms.CharField(
        label="What good practice did you see?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you saw good practice.",
    )

    def __init__(self, *args, conference, record: QAForm | None, prefilled: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = qa_questions_for(conference)
        note = self.fields.pop("good_practice_note")
        for question in self.questions:
            self.fields[question.field] = forms.ChoiceField(
                label=question.label,
                choices=_choices(question),
                required=False,
                widget=forms.RadioSelect,
                help_text=question.hint,
            )
            if record is not None:
                value = getattr(record, question.field)
            elif question.field in prefilled:
                value = prefilled[question.field].answer
            elif question.field in ("good_practice_observed", "escalation_needed"):
                value = False
            else:
                value = None
            self.initial.setdefault(question.field, as_form_value(question, value))
            if question.field == "good_practice_observed":
                self.fields["good_practice_note"] = note
        if record is not None:
            self.initial.setdefault("good_practice_note", record.good_practice_note)
        # Needed to complete the form, though a draft may leave them: not marked "(optional)".
        self.conditionally_required = [*self.fields]
        self.prefilled_names = [q.field for q in self.questions if q.field in prefilled]
        self.asked_names = [q.field for q in self.questions if q.field not in prefilled]

    def answers(self) -> dict:
        """What the chair gave, for the service: only the questions sent (a radio group with
        nothing chosen is not sent, and leaves the draft's answer as it was)."""
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name in self.data}

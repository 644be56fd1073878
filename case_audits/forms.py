"""Forms of the audit pages. They validate what was typed; the services decide."""

from django import forms
from django.utils.html import format_html

from iro_service.forms import GovukDateField

from .models import Theme
from .questions import ANSWER_CHOICES, CHECKLIST

MAX_CHOSEN_CHILDREN = 200


class StartForm(forms.Form):
    theme = forms.ChoiceField(
        label="What is the audit about?",
        choices=Theme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the audit is about"},
    )
    list_taken_on = GovukDateField(
        label="Date the list is taken",
        help_text="The list is of the cases as at this date. For example, 31 3 2027.",
        error_messages={"required": "Enter the date the list is taken"},
    )
    local_ids = forms.CharField(
        label="Children's IDs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only if you choose the children: their local child IDs, one on each line.",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_list_taken_on(self):
        # A list as at a date still to come would hold cases that do not qualify yet (a plan
        # counted as lasting two years before it has).
        on = self.cleaned_data["list_taken_on"]
        if on is not None and on > self.today:
            raise forms.ValidationError("The date the list is taken must be today or in the past")
        return on

    def clean(self):
        cleaned = super().clean()
        ids = [part.strip() for part in (cleaned.get("local_ids") or "").split()]
        ids = list(dict.fromkeys(i for i in ids if i))
        if cleaned.get("theme") == Theme.CHOSEN:
            if not ids:
                self.add_error("local_ids", "Enter the IDs of the children to audit")
            elif len(ids) > MAX_CHOSEN_CHILDREN:
                self.add_error("local_ids", f"Enter {MAX_CHOSEN_CHILDREN} IDs or fewer")
        else:
            ids = []
        cleaned["ids"] = ids
        return cleaned


class CasesForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label="Cases to audit",
        widget=forms.CheckboxSelectMultiple,
        help_text="All the cases on the list are selected. Clear any you will not audit.",
        error_messages={"required": "Choose at least one case to audit"},
    )
    name = forms.CharField(
        label="Name of the audit",
        max_length=150,
        help_text="For example, Repeat plans, October 2027.",
        error_messages={"required": "Enter a name for the audit"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [
            (c.key, f"{c.child.full_name} ({c.child.local_id}), {c.child.district}. {c.why}")
            for c in candidates
        ]


class CaseForm(forms.Form):
    """One radio question and one note per checklist question, then the findings."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        for question in CHECKLIST:
            self.fields[question.key] = forms.ChoiceField(
                label=question.label,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                help_text=question.hint,
                initial=(case.answers.get(question.key) or {}).get("answer"),
            )
            self.fields[f"{question.key}_note"] = forms.CharField(
                # Each note says which question it is about to a screen reader, not only
                # "Note" four times over.
                label=format_html(
                    'Note<span class="govuk-visually-hidden"> on: {}</span>', question.label
                ),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=(case.answers.get(question.key) or {}).get("note"),
            )
        self.fields["findings"] = forms.CharField(
            label="Findings for this case",
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            initial=case.findings,
        )

    def pairs(self):
        return [(self[q.key], self[f"{q.key}_note"]) for q in CHECKLIST]

    def answers(self) -> dict:
        return {
            q.key: {
                "answer": self.cleaned_data.get(q.key) or "",
                "note": self.cleaned_data.get(f"{q.key}_note") or "",
            }
            for q in CHECKLIST
        }


class FindingsForm(forms.Form):
    overall_findings = forms.CharField(
        label="Overall findings",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="What the audit found across its cases. The annual report quotes this.",
    )
    actions = forms.CharField(
        label="Actions agreed",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

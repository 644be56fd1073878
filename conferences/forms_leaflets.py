"""The Senior IRO's upload of an information leaflet (§8.4). The file is checked by its
content in the service (conferences/services/leaflets.py), not here."""

from django import forms

from .models import Leaflet


class LeafletUploadForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who is the leaflet for?",
        choices=Leaflet.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the leaflet is for"},
    )
    file = forms.FileField(
        label="Upload the leaflet",
        help_text="A PDF. It replaces the leaflet in use for the same readers, which is kept.",
        error_messages={
            "required": "Choose the leaflet to upload",
            "empty": "The chosen file is empty",
            "invalid": "Choose the leaflet to upload",
        },
    )

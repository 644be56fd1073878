"""Forms for two-step sign-in (people.views_mfa) and for managing staff accounts
(people.views_accounts)."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from iro_service.validators import validate_no_bidi_controls

from .models import District, Role, User


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app (or, at sign-in, a recovery code)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=40,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, recovery_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        if recovery_allowed:
            self.fields["code"].help_text = (
                "The 6 digits your app shows now. If you do not have your phone, enter one "
                "of your recovery codes instead."
            )
        else:
            self.fields["code"].help_text = "The 6 digits your app shows now."

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if code.isdigit() and len(code) == 6:
            return code
        if self.recovery_allowed and code.isalnum() and len(code) == 8:
            return code
        if self.recovery_allowed:
            raise ValidationError(
                "Enter the 6-digit code from your app, or a recovery code of 8 letters and numbers"
            )
        raise ValidationError("Enter the 6-digit code from your authenticator app, using numbers")


def _district_choices_field():
    return forms.ModelChoiceField(
        queryset=District.objects.all(),
        required=False,
        label="District",
        empty_label="No district",
        help_text="Required for a district manager: the only district they see.",
    )


class _AccountFields(forms.ModelForm):
    """Name, email, role and district, with the rules an account must keep."""

    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    # Required for a district manager only (its hint says so): not labelled "(optional)".
    conditionally_required = ("district",)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "district"]
        labels = {"first_name": "First name", "last_name": "Last name", "email": "Email address"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"] = _district_choices_field()
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        for name in ("first_name", "last_name"):
            self.fields[name].validators.append(validate_no_bidi_controls)
        self.fields["first_name"].error_messages["required"] = "Enter their first name"
        self.fields["last_name"].error_messages["required"] = "Enter their last name"
        self.fields["email"].error_messages["required"] = "Enter their email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the right format, like name@example.org"
        )
        self.fields["role"].error_messages["required"] = "Choose their role"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.DISTRICT_MANAGER and not cleaned.get("district"):
            self.add_error("district", "Choose the district a district manager looks after")
        return cleaned


def _temporary_password_field(*, when: str) -> forms.CharField:
    """The password an account manager sets, which its owner changes when they `when` sign in."""
    return forms.CharField(
        label="Temporary password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "At least 12 characters, not a common password. Tell them it in person or by "
            f"phone; they choose their own when they {when} sign in."
        ),
        error_messages={"required": "Enter a temporary password"},
    )


class AccountCreateForm(_AccountFields):
    """A new member of staff, with a temporary password they must change at first sign-in."""

    temporary_password = _temporary_password_field(when="first")

    class Meta(_AccountFields.Meta):
        fields = ["first_name", "last_name", "username", "email", "role", "district"]
        labels = {**_AccountFields.Meta.labels, "username": "Username"}
        help_texts = {"username": "What they type to sign in: letters, numbers and . _ @ + -"}

    field_order = [
        "first_name",
        "last_name",
        "username",
        "email",
        "role",
        "district",
        "temporary_password",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter a username"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("There is already an account with this username")
        return username

    def validate_unique(self):
        # clean_username has said it more plainly, whatever the letters' case.
        if "username" in self._errors:
            return
        super().validate_unique()

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("temporary_password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("temporary_password", error)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["temporary_password"])
        user.must_change_password = True
        if commit:
            user.save()
        return user


class AccountChangeForm(_AccountFields):
    """Change a member of staff's name, email, role or district."""

    def __init__(self, *args, last_senior_iro: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_senior_iro = last_senior_iro

    def clean_role(self):
        role = self.cleaned_data["role"]
        if self.last_senior_iro and role != Role.SENIOR_IRO:
            raise ValidationError(
                "This is the only active Senior IRO. Give someone else the role first"
            )
        return role


class TemporaryPasswordForm(forms.Form):
    """A password an account manager sets; the user must change it when they next sign in."""

    temporary_password = _temporary_password_field(when="next")

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_temporary_password(self) -> str:
        password = self.cleaned_data["temporary_password"]
        password_validation.validate_password(password, self.account)
        return password

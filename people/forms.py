from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask the Senior IRO if you need access.",
    }


class ChangePasswordForm(PasswordChangeForm):
    """Change your own password (Sign-in, issue 12): the current one, then the new one twice.
    The new one must pass AUTH_PASSWORD_VALIDATORS (12 characters, not a common password)."""

    error_messages = {
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The two new passwords are not the same. Enter the new password twice.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, and not like your name or "
            "username. A few unrelated words together are easy to remember."
        )
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        for name, message in [
            ("old_password", "Enter your current password"),
            ("new_password1", "Enter a new password"),
            ("new_password2", "Enter the new password again"),
        ]:
            self.fields[name].error_messages["required"] = message

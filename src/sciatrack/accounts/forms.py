"""The forms that make a login: our own short, plain labels and help, not Django's stock text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from .models import Patient

USERNAME_HELP = "The name you sign in with. Letters, numbers and @ . + - _ only, no spaces."
PASSWORD_AGAIN_LABEL = "Type the password again"  # noqa: S105 - a label, not a password


def password_help() -> str:
    """The password rules in plain words, read from the validators the site really runs."""
    rules: list[str] = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            rules.insert(0, f"At least {validator.min_length} characters.")
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            rules.append("Not only numbers.")
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append("Not a common password.")
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            rules.append("Not like your username or email.")
    return " ".join(rules)


class NewLoginForm(UserCreationForm[User]):
    """A username and a password, checked as Django checks them, with our own plain words around them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = USERNAME_HELP
        self.fields["password1"].help_text = password_help()
        self.fields["password2"].label = PASSWORD_AGAIN_LABEL
        self.fields["password2"].help_text = ""


class SignUpForm(NewLoginForm):
    """A personal account: a login plus the Patient record their data will belong to."""

    display_name = forms.CharField(
        label="What should we call you?",
        max_length=200,
        help_text="Shown on your pages and on handouts you print. A first name is enough.",
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Used to reset your password, and for reminders if you ask for them.",
    )

    class Meta(NewLoginForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

    def create_account(self) -> User | None:
        """Store the valid form's user and their Patient record; None when the name was taken meanwhile.

        The form's look for the name runs before the write, so two people sending the same new name at
        once both pass it; the unique name in the database then refuses the second, and the form shows
        it the same "name taken" error the look would have.
        """
        user: User = self.save(commit=False)
        user.email = self.cleaned_data["email"]
        try:
            with transaction.atomic():
                user.save()
                Patient.objects.create(user=user, display_name=self.cleaned_data["display_name"])
        except IntegrityError:
            if not User.objects.filter(username__iexact=user.username).exists():
                raise  # some other rule refused it: a fault of ours, not the person's
            self.add_error("username", self.instance.unique_error_message(User, ["username"]))
            return None
        return user

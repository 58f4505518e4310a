from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from .models import Patient


class SignUpForm(UserCreationForm[User]):
    """A personal account: a login plus the Patient record their data will belong to."""

    display_name = forms.CharField(
        label="What should we call you?",
        max_length=200,
        help_text="Shown on your pages and on handouts you print. A first name is enough.",
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Only used to reset your password.",
    )

    class Meta(UserCreationForm.Meta):
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

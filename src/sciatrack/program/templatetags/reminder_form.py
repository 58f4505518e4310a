"""``{% blank_reminder_form as reminders_form %}``: the reminders form as the program page first shows it.

``care/_reminders_form.html`` asks for it when its page gives no form (the program page); the reminders'
error page gives the form as it was sent, with its problems.
"""

from __future__ import annotations

from django import template

from sciatrack.program.reminder_form import ReminderForm

register = template.Library()


@register.simple_tag
def blank_reminder_form() -> ReminderForm:
    return ReminderForm()

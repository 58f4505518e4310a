"""Reminders sent to a person: e-mail and browser push for today's session, the diary and a follow-up."""

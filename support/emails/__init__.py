"""Emails: what the shop sent through the email provider and what it kept to send later (check)."""

"""Screens shown over the main one: help, the offer to resume, the summary at the end."""

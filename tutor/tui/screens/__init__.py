"""The app's screens: the problem list, solving a problem, and those shown over it (help, the offer
to resume, the summary at the end)."""

"""The full-screen Textual front end of ``bptutor solve``: see app.TutorApp.

Layout: widgets/ holds one widget a file, screens/ the problem list, the SolveScreen and
the help, resume and summary screens over it, keys.py bindings in the student's language,
view.py the wording worked out from the Session (no Textual), tutor.tcss every style.
"""

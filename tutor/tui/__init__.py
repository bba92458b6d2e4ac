"""The full-screen Textual front end of ``bptutor solve``: see app.TutorApp.

Layout: widgets/ holds one widget a file, screens/ the help, resume and summary screens,
view.py the wording worked out from the Session (no Textual), tutor.tcss every style.
"""

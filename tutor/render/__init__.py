"""Renderers of a worked solution: text (Rich), Markdown, LaTeX, JSON. Only text.py uses Rich."""

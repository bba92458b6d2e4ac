"""Problem kinds: one package per kind."""

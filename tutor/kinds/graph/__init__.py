"""The graph problem kind."""

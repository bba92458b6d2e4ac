"""The layer problem kind."""

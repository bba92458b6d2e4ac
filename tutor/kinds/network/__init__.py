"""The network problem kind."""

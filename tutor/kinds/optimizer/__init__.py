"""The optimizer problem kind."""

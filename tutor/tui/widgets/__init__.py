"""The widgets of the main screen, one a file."""

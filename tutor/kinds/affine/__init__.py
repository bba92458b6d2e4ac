"""The affine problem kind."""

"""Pooling alone (kind "pool"): the hooks live in tutor.kinds.conv, which serves both kinds."""

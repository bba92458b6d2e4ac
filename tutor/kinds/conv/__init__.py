"""Convolution (kind "conv") and pooling alone (kind "pool"): one package serves both kinds."""

"""Convolution (kind "conv") and pooling (kind "pool") of one channel; tutor/kinds/pool names this package's hooks."""

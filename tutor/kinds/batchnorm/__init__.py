"""The batchnorm problem kind: batch normalisation of one unit over a mini-batch."""

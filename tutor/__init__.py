"""bptutor: practise backpropagation by hand, one checked step at a time."""

__version__ = "0.1.0"

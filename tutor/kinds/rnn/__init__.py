"""The rnn problem kind: a recurrent net unrolled through time, and BPTT."""

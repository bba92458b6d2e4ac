"""The one table of activations, losses and expression functions.

- ``names``: the names alone, standard library only (for the schema and quick commands);
- ``functions``: what graph nodes and answers may call: math, NumPy and SymPy forms, derivative;
- ``activations``: each layer activation, for the engine (SymPy) and for training (NumPy);
- ``losses``: each loss, E and the output delta dE/du in one place;
- ``printed``: the SymPy classes that print as the lecture writes (σ, ReLU, ReLU', √);
- ``forms``: unevaluated SymPy building blocks that keep the lecture's order.

Importing this package imports nothing heavy: NumPy comes with ``functions``, ``activations``
and ``losses``, SymPy only when a SymPy form is built.
"""

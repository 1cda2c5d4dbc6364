"""coursekit: the helper library of the course *From surprise to variational inference*."""

__version__ = "0.1.0"

"""lagesbild: the shared situational picture (gemensam lägesbild) of a municipality and its local police."""

__version__ = "0.1.0"

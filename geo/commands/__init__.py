"""Command modules of the ``geo`` CLI; each defines ``register(app)``."""

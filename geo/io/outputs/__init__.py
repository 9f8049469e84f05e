"""Writers of stage results: one module per result type, each returning :class:`geo.io.manifest.OutputFile`.

Every writer writes atomically (:func:`geo.io.export.atomic_path`) into a folder and returns the files it
wrote with their kinds, so the caller can record them in the folder's manifest (``run.json``).
"""

"""Many areas in one run (``geo run CONFIG --county 06``): split the export, run each area on Dask."""

"""The planner's notebook runs from top to bottom; any failing cell fails the suite.

The same notebook also runs with ``pytest --nbmake notebooks/`` (nbmake is a test dependency); this test needs
no flag, so plain ``pytest`` / ``make test`` executes it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-lagesbild-varnamo.ipynb"


@pytest.mark.slow
def test_notebook_runs_without_errors():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    try:
        client.execute()
    except CellExecutionError as err:  # the message holds the cell's source and traceback
        pytest.fail(f"{NOTEBOOK.name}: a cell failed:\n{err}")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "syntetiska demodata" in text


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 6

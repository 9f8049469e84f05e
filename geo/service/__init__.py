"""The lagesbild HTTP service: report intake, staff API, maps, background runs, Open311, report page.

Build an app with :func:`create_app` (``geo serve`` does this and runs it under uvicorn)::

    from geo.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(db="lagesbild.gpkg", area="Värnamo"))
"""

from geo.service.app import create_app
from geo.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]

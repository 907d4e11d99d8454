"""The REST API: thin FastAPI routes over `surgeplan.server.services`."""

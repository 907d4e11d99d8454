"""The team server: storage, service layer, REST API, jobs, accounts and audit.

Layering: `api` (thin FastAPI routes) → `services` (use cases, authorisation, audit) →
`repository` (SQLAlchemy, unit of work) → `orm`. The scenario and engine layers never
import anything from here.
"""

"""Who may do what: roles, permissions and the site scope of a site lead.

Every service call names the permission it needs; the route layer never decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The four roles of a planning team."""

    ADMIN = "admin"
    PLANNER = "planner"
    SITE_LEAD = "site_lead"
    VIEWER = "viewer"


class Can(StrEnum):
    """Permissions checked by the services."""

    READ_SUMMARY = "read summaries (scenario list, plan totals, job progress)"
    READ_TABLES = "read scenario tables without officer data (bases, sites, demand, rates)"
    READ_NAMES = "read officer data (roster, leave, requests, assignments, ledger)"
    EDIT = "edit scenarios, pins and rules"
    SOLVE = "start, re-plan and cancel solves; check and compare plans"
    PROPOSE = "propose demand changes"
    DECIDE = "accept or decline proposals"
    ADMINISTER = "manage accounts and read or verify the audit log"


GRANTS: dict[Role, frozenset[Can]] = {
    Role.ADMIN: frozenset(Can),
    Role.PLANNER: frozenset(Can) - {Can.ADMINISTER},
    Role.SITE_LEAD: frozenset({Can.READ_SUMMARY, Can.READ_TABLES, Can.READ_NAMES, Can.PROPOSE}),
    Role.VIEWER: frozenset({Can.READ_SUMMARY, Can.READ_TABLES}),
}
NAME_TABLES = frozenset({"people", "unavailable", "requests"})
"""Tables that hold officer data."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user a request acts for."""

    id: int
    username: str
    role: Role
    sites: frozenset[str]

    def can(self, permission: Can) -> bool:
        """True if the role grants `permission`."""
        return permission in GRANTS[self.role]

    @property
    def scoped(self) -> bool:
        """True if officer data is limited to the actor's own sites."""
        return self.role is Role.SITE_LEAD

    def sees_site(self, site_id: str) -> bool:
        """True if the actor may see officer data at `site_id`."""
        return not self.scoped or site_id in self.sites

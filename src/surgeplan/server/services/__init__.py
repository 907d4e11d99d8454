"""Use cases of the team server: each checks permission, works, audits, in one transaction."""

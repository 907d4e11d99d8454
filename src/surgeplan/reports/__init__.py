"""Reports of a plan for the people who use it: a self-contained HTML page, more to come."""

"""`stockdesk-cli`: the services from a terminal, with a stable --json contract for scripts and tests."""

"""Plain-Python core: quantities, rules and typed errors. Imports only the standard library."""

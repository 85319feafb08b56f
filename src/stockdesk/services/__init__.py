"""Use cases. The only code that opens a writing unit of work and commits."""

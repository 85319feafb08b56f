"""Printed papers (packing slips, later labels and reports): plain data in, a file out.

Nothing here reads the database or touches Qt, so the same code serves the desktop, the CLI and
tests, and a paper can be made again from the data it was made from.
"""

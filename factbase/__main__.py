"""`python -m factbase` runs the command line (as the `factbase` script does)."""

from factbase.cli import app

app(prog_name="factbase")

"""Run the factbase CLI from a checkout: `python cli.py --help`."""

from factbase.cli import app

if __name__ == "__main__":
    app()

"""Jinja2 templates shared by the desk and the HTML report, escaped the same way everywhere.

Every `{{ value }}` goes through `finalize`: stored text has its control characters made
visible (as the CLI shows them) and is HTML-escaped with `html.escape`, quotes included,
so a title, quote, value or name holding markup renders as text in a page and in an
attribute alike. Only values already marked safe (`Markup`, from `runs`) pass as they are.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .display import Segments, value_words, visible
from .rules import rule_label

TEMPLATES = Path(__file__).parent / "templates"


def escape(value: Any) -> Markup:
    """Stored text as inert HTML: controls made visible, `<>&"'` escaped."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(visible("" if value is None else str(value))))


def exact(text: str) -> Markup:
    """A document's own characters, escaped but otherwise untouched: the reader counts
    offsets in what it shows, so nothing may be added (controls stay as they are)."""
    return Markup(html.escape(text))


def runs(segments: Segments) -> Markup:
    """Text cut into runs, the marked ones (a quote, a difference) in `<mark>`."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(escape(part)) if mark else escape(part)
        for part, mark in segments
    )


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=escape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["runs"] = runs
    env.filters["exact"] = exact
    env.globals["rule_label"] = rule_label
    env.globals["value_words"] = value_words
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)

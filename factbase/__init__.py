"""factbase: a claim-and-citation fact base.

The library is the product; the `factbase` command is a thin layer over
:class:`FactBase`. Import from here, e.g. ``from factbase import FactBase``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["ClaimFilter", "ClaimInput", "FactBase", "FactbaseError", "__version__"]

if TYPE_CHECKING:
    from .claims import ClaimFilter, ClaimInput
    from .db import FactBase
    from .errors import FactbaseError


def __getattr__(name: str) -> object:
    """Import the API lazily so `factbase --help` does not load SQLAlchemy."""
    if name == "FactBase":
        from .db import FactBase

        return FactBase
    if name in {"ClaimFilter", "ClaimInput"}:
        from . import claims

        return getattr(claims, name)
    if name == "FactbaseError":
        from .errors import FactbaseError

        return FactbaseError
    raise AttributeError(name)

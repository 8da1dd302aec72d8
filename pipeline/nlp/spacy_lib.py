"""spaCy for the NLP stage, imported without its command line.

`import spacy` imports `spacy.cli` (requests, httpx, typer, weasel: ~30% of the import's
time) only to offer `spacy.info`. planx never runs spaCy's command line, and every cold
process waits for this import: a one-file run, each batch's fork server. So while spaCy
imports, `spacy.cli` and `spacy.cli.info` are placeholders, removed once it has: a later
`import spacy.cli` loads the real one, and `spacy.info` forwards to it. Where spaCy is
imported already (by the caller, say), nothing changes.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = [
    "Doc",
    "Language",
    "PhraseMatcher",
    "Span",
    "compile_infix_regex",
    "compile_prefix_regex",
    "compile_suffix_regex",
    "filter_spans",
    "spacy",
]


def _info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _import_without_cli() -> None:
    if "spacy" in sys.modules:
        return
    package = types.ModuleType("spacy.cli")
    package.__path__ = []  # a package, as `from .cli.info import info` needs
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    placeholders = {"spacy.cli": package, "spacy.cli.info": info}
    sys.modules.update(placeholders)
    try:
        import spacy  # noqa: F401
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_import_without_cli()

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import (  # noqa: E402
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    filter_spans,
)

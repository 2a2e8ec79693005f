"""One way to parse YAML text quickly without changing what an editor is told.

PyYAML's own parser is pure Python; the same package ships libyaml's parser
(`yaml.CSafeLoader`), about ten times faster. The build parses every page's front
matter several times and every data file once, and in pure Python that was about a
sixth of the online build (issue 17). The fast parser reads the text; if it finds any
problem, the pure parser reads the text again, so every error message, line and column
is exactly what it was before. The constructors (what a value becomes) are the same
Python code for both, so a file that parses means the same either way.
"""

from __future__ import annotations

from typing import Any

import yaml


def fast_variant(loader: type) -> type | None:
    """The libyaml version of a SafeLoader subclass: same constructors, C parser.
    None when PyYAML was installed without libyaml."""
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:
        return None
    if loader is yaml.SafeLoader:
        return base
    return type(f"C{loader.__name__}", (base,), {
        "yaml_constructors": dict(loader.yaml_constructors),
        "yaml_multi_constructors": dict(loader.yaml_multi_constructors),
    })


_SAFE_FAST = fast_variant(yaml.SafeLoader)


def load(text: str, loader: type = yaml.SafeLoader, fast: type | None = _SAFE_FAST) -> Any:
    """`yaml.load(text, loader)`, parsed by libyaml when it can; any error is raised by
    the pure parser, exactly as `yaml.load(text, loader)` raises it."""
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=loader)

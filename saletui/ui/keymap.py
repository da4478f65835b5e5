"""Check the settings' keymap against the binding ids saletui really has, so a typo in
`keymap:` is reported instead of silently doing nothing."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding

from saletui.config_error import close_match


def known_binding_ids() -> set[str]:
    """Every binding id declared on saletui's app, screens and widgets."""
    import saletui.ui.screens as screens
    import saletui.ui.widgets as widgets
    from saletui.ui.app import SaletuiApp

    classes: list[type] = [SaletuiApp]
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes.extend(v for v in vars(module).values() if isinstance(v, type) and hasattr(v, "BINDINGS"))
    ids = set()
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """'id (did you mean `x`?)' for every keymap entry that names no binding."""
    known = known_binding_ids()
    return [f"{key}{close_match(key, known)}" for key in keymap if key not in known]

"""Ask for a file name and write a text there: what every "save as" and "export" of the
screens does (the brief, the review, the reports, the pipeline, the calendar)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from saletui.atomic_file import write_text_atomic
from saletui.errors import ValidationError
from saletui.i18n import LiveText, _
from saletui.ui.screens.text_prompt import TextPrompt


def ask_to_save(
    screen: Screen[Any],
    title: LiveText,
    label: LiveText,
    default: Path,
    text_for: Callable[[Path], str],
    notice: Callable[[Path], str],
) -> None:
    """Prompt for the file (`default` filled in), write `text_for(path)` there atomically,
    then notify `notice(path)`. A file that cannot be written is refused beside the field,
    and the prompt stays open for another name."""

    def write(path_text: str) -> None:
        path = Path(path_text).expanduser()
        try:
            write_text_atomic(path, text_for(path))
        except OSError as exc:
            raise ValidationError(
                {"path": _("Cannot write {path}: {reason}.").format(path=path_text, reason=exc.strerror or exc)}
            ) from None

    def written(path: str | None) -> None:
        if path:
            screen.notify(notice(Path(path).expanduser().resolve()))

    screen.app.push_screen(TextPrompt(title, label, write, str(default), field="path"), written)

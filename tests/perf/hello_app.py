"""Reference for cold start: the smallest Textual app that paints something.

    python tests/perf/hello_app.py

A bare App with one Label; bench.py measures how long its first frame takes to reach the
terminal, to compare saletui's start-up with Textual's own floor.
"""

from textual.app import App, ComposeResult
from textual.widgets import Label

MARKER = "Hello from Textual"


class HelloApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(MARKER)


if __name__ == "__main__":
    HelloApp().run()

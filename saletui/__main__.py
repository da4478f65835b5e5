"""Allow `python -m saletui`."""

from saletui.cli import main

raise SystemExit(main())

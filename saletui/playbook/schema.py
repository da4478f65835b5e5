"""Typed form of a playbook file. Unknown keys are errors (see load.py).

One file is one `Playbook`. Within a file an objection may be partial: a later layer can
give only the keys it changes (`given` says which), or `remove: true` it. After the layers
are merged (load.load_layers) every objection is complete and `remove` is False.
Sequences are tuples so that the objects stay immutable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

OBJECTION_FIELDS = ("title", "aliases", "stages", "stance", "tags")
"""The objection's own keys a later layer replaces when it gives them."""


@dataclass(frozen=True)
class Technique:
    id: str
    """Stable within its objection; defaults to a slug of the name. A later layer with the
    same id replaces the technique, a new id adds one."""
    name: str
    """Short name of the technique, e.g. "Break the price into parts"."""
    when: str = ""
    """When to use it: the situation or signal that calls for it."""
    script: str = ""
    """An example of what to say, kept verbatim (brackets and all)."""
    follow_up: str = ""
    """The question to ask afterwards, to learn whether it landed."""
    source: Path = Path()
    """The file that defined this technique (provenance, shown in the UI)."""
    line: int = 0
    """The line of that file where the technique starts."""
    column: int = 0
    """The column where it starts (for messages about it)."""
    remove: bool = False
    """In a layer file: `remove: true` deletes the technique of that id from earlier
    layers. Never true after merging."""


@dataclass(frozen=True)
class Objection:
    id: str
    """Stable slug (e.g. too-expensive), the same in every language; layers and visit
    records refer to it."""
    title: str = ""
    """What the customer says, as a heading, e.g. "Too expensive"."""
    aliases: tuple[str, ...] = ()
    """Other phrases customers use for it; searched like the title."""
    stages: tuple[str, ...] = ()
    """Sales-stage keys where it comes up (development, entry, proposal, bidding,
    negotiation, implementation); empty means any stage."""
    stance: str = ""
    """The attitude to take before any technique: what is really going on, what to avoid."""
    tags: tuple[str, ...] = ()
    """Free labels for filtering, e.g. price, timing."""
    techniques: tuple[Technique, ...] = ()
    """Honest ways to answer it, in the order to try them."""
    source: Path = Path()
    """The last file that defined or changed this objection's own keys (provenance)."""
    line: int = 0
    """The line of that file where the objection starts."""
    column: int = 0
    """The column where it starts (for messages about it)."""
    given: frozenset[str] = field(default=frozenset())
    """Which of OBJECTION_FIELDS (and `techniques`) its file gave: a later layer replaces
    only the keys it gives. After merging: those given by the file named in `source`."""
    remove: bool = False
    """In a layer file: `remove: true` deletes the objection of that id from earlier
    layers. Never true after merging."""

    def technique(self, technique_id: str) -> Technique | None:
        """The technique with this id, or None."""
        return next((t for t in self.techniques if t.id == technique_id), None)


@dataclass(frozen=True)
class Playbook:
    name: str
    """The playbook's name, e.g. "Default objection playbook"; defaults to the file name."""
    language: str = ""
    """The language it is written in (en, zh, ...); "" when not said."""
    version: str = ""
    """Free version text (a number is kept as text), for the team's own bookkeeping."""
    owner: str = ""
    """Who maintains it: a person or a team."""
    objections: tuple[Objection, ...] = ()
    """The objections this file defines, changes or removes, in file order."""
    source: Path = Path()
    """The file it was read from."""

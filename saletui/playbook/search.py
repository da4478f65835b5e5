"""Find objections as the rep types: full-width letters and case ignored, every word must
match, title matches ranked before what customers say, tags and the rest.

Plain data in, plain data out: the playbook screen keeps one `SearchIndex` per load
(`LoadedPlaybook.index`) and queries it on every keystroke.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from saletui.playbook.schema import Objection

_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _narrow(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def _norm(text: str) -> str:
    """Full-width letters and digits (as typed with a Chinese IME) become plain ones; case
    is ignored. Not NFKC: that is ~20x slower on Chinese text, and only these matter here."""
    return _FULL_WIDTH.sub(_narrow, text).casefold()


def all_tags(objections: Iterable[Objection]) -> list[str]:
    """Every tag, in order of first appearance (for a tag filter)."""
    seen: dict[str, str] = {}
    for objection in objections:
        for tag in objection.tags:
            seen.setdefault(_norm(tag), tag)
    return list(seen.values())


class SearchIndex:
    """Objections prepared once per load for search-as-you-type.

    Each objection is kept as four casefolded texts in ranking order: title, aliases, tags,
    everything else (stance, id, technique names, when, scripts, follow-ups).
    """

    TIERS = ("title", "alias", "tag", "other")

    def __init__(self, objections: Iterable[Objection]) -> None:
        self.objections = list(objections)
        self._texts: list[tuple[str, str, str, str]] = []
        self._joined: list[str] = []
        self._stages: list[frozenset[str]] = []
        self._tags: list[frozenset[str]] = []
        for o in self.objections:
            other = [o.stance, o.id]
            for t in o.techniques:
                other += [t.name, t.when, t.script, t.follow_up]
            texts = (_norm(o.title), _norm("\n".join(o.aliases)), _norm("\n".join(o.tags)), _norm("\n".join(other)))
            self._texts.append(texts)
            self._joined.append("\x00".join(texts))  # one test rules out most objections
            self._stages.append(frozenset(o.stages))
            self._tags.append(frozenset(_norm(t) for t in o.tags))

    def search(self, query: str, stage: str | None = None, tag: str | None = None) -> list[Objection]:
        """Objections matching every word of `query` somewhere, best first: title matches,
        then alias, tag and other matches (summed over the words), then playbook order.
        `stage` keeps those that come up in that stage (or list no stage); `tag` those
        with that tag. An empty query lists all, in playbook order."""
        words = _norm(query).split()
        wanted_tag = _norm(tag) if tag else None
        hits: list[tuple[int, int]] = []
        for i, texts in enumerate(self._texts):
            if stage and self._stages[i] and stage not in self._stages[i]:
                continue
            if wanted_tag is not None and wanted_tag not in self._tags[i]:
                continue
            score = 0
            joined = self._joined[i]
            for word in words:
                if word not in joined:
                    break
                for tier, text in enumerate(texts):
                    if word in text:
                        score += tier
                        break
                else:
                    break
            else:
                hits.append((score, i))
        hits.sort()
        return [self.objections[i] for _score, i in hits]


def search(
    objections: Sequence[Objection] | SearchIndex, query: str, stage: str | None = None, tag: str | None = None
) -> list[Objection]:
    """Search objections (see SearchIndex.search). Pass a SearchIndex (e.g.
    LoadedPlaybook.index) when searching repeatedly: building one costs more than a query."""
    index = objections if isinstance(objections, SearchIndex) else SearchIndex(objections)
    return index.search(query, stage=stage, tag=tag)

"""Typed form of the process file. Unknown keys are errors (see load.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from saletui.method.pipeline import DEFAULT_PROBABILITY
from saletui.method.qualification import BANT, QualificationKey


@dataclass(frozen=True)
class MilestoneTemplate:
    id: str
    """Stable id, unique in the file; kept on each deal's copy so templates can evolve."""
    question: str
    """The customer's question this milestone answers, in their words."""
    key_node: bool = False
    """Reaching it closes the stage (saletui then offers to advance the deal)."""
    qualifies: str = ""
    """The qualification key it settles (one of the file's `qualification` keys), or ""."""


@dataclass(frozen=True)
class StageTemplate:
    key: str
    """One of development, entry, proposal, bidding, negotiation, implementation."""
    name: str
    """The stage's name as shown."""
    key_node: str
    """What closes the stage, in one line."""
    milestones: tuple[MilestoneTemplate, ...]
    """Worked through in this order."""
    probability: int | None = None
    """Percent chance that an open deal in this stage is won (the pipeline's weighted
    value); None: the method's default for the stage (saletui.method.pipeline)."""


@dataclass(frozen=True)
class Process:
    language: str
    """The language the file is written in (en, zh_CN)."""
    stages: tuple[StageTemplate, ...]
    """Exactly the six stages, in procurement order."""
    source: Path
    """The file this was read from."""
    qualification: tuple[QualificationKey, ...] = BANT
    """The qualification keys milestones may carry (BANT unless the file lists its own)."""

    def stage(self, number: int) -> StageTemplate:
        return self.stages[number - 1]

    def probabilities(self) -> dict[int, int]:
        """Stage number -> percent chance of winning an open deal there (the file's, else
        the method's default)."""
        out = dict(DEFAULT_PROBABILITY)
        for number, stage in enumerate(self.stages, start=1):
            if stage.probability is not None:
                out[number] = stage.probability
        return out

    def qualifying(self) -> dict[str, str]:
        """Template id -> qualification key, for the milestones that carry one."""
        return {m.id: m.qualifies for s in self.stages for m in s.milestones if m.qualifies}

"""Objection playbooks: what customers say, the stance to take and honest techniques.

`schema` holds the typed form, `load` reads and validates YAML files, merges the layers
(built-in < team folders < personal file) and searches the result. Pure Python: no UI,
no database, nothing read at import.
"""

from saletui.playbook.schema import Objection, Playbook, Technique

__all__ = ["Objection", "Playbook", "Technique"]

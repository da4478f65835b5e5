"""The lock file that the README's test command and .ci/run install from still satisfies
pyproject.toml: every declared dependency is pinned, to a version its range accepts, with
hashes. Refresh the lock with the command in the README's Development section."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-dev.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonicalize_name(match[1])] = Version(match[2])
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"]]
    for extra in ("test", "dev"):
        declared += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return declared


def test_every_declared_dependency_is_pinned_to_a_version_its_range_accepts():
    pins = _pins()
    problems = []
    for requirement in _declared():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement}: not in the lock")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement}: the lock pins {pinned}")
    assert not problems, "requirements-dev.txt is out of date with pyproject.toml:\n" + "\n".join(problems)


def test_every_pin_carries_hashes_so_pip_checks_what_it_downloads():
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [e.split()[0] for e in entries if _PIN.match(e) and "--hash=sha256:" not in e]
    assert not unhashed, f"pins without hashes: {unhashed}"
    assert len(_pins()) >= 20


def test_the_textual_family_is_pinned_exactly_in_pyproject():
    exact = {canonicalize_name(r.name): str(r.specifier) for r in _declared()}
    assert exact["textual"].startswith("==") and exact["rich"].startswith("==")

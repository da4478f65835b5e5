"""The one rule for file names made from an account's name, shared by the CLI and the UI."""

from __future__ import annotations

import pytest

from saletui.file_names import MAX_STEM, safe_file_stem


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("华东精密机械有限公司", "华东精密机械有限公司"),  # CJK is kept as it is
        ("株式会社 東京", "株式会社-東京"),
        ("Acme Steel", "Acme-Steel"),
        ("Fabrikam Industries Inc.", "Fabrikam-Industries-Inc"),  # no trailing dot (Windows drops it)
        ("Rocket 🚀 Labs", "Rocket-Labs"),  # emoji are not letters: one separator
        ("🚀🚀", "account"),
        ("Acme/Steel", "Acme-Steel"),  # no directory can be named
        ("a\\b", "a-b"),
        ("../../etc/passwd", "etc-passwd"),  # no way up and out
        ("..", "account"),
        (".hidden", "hidden"),  # no hidden file
        ("", "account"),
        ("   ", "account"),
        ('Acme: <A|B>?*"', "Acme-A-B"),  # every character Windows refuses in a name
        ("tab\there\nnew\x00line", "tab-here-new-line"),  # controls
        ("[red]Li[/]", "red-Li"),  # markup is not kept half-open
        ("CON", "CON-"),  # a Windows device name, whatever the extension
        ("nul.txt", "nul.txt-"),
        ("Console", "Console"),
        ("Cafe\u0301", "Café"),  # a decomposed accent is one letter, not a separator
    ],
)
def test_a_file_stem_is_safe_on_every_platform(name, expected):
    assert safe_file_stem(name) == expected


def test_a_very_long_name_is_cut_without_leaving_a_separator_at_the_end():
    assert safe_file_stem("长" * 300) == "长" * MAX_STEM
    cut = safe_file_stem("a" * (MAX_STEM - 1) + " b")
    assert len(cut) <= MAX_STEM and not cut.endswith("-")


def test_the_caller_chooses_what_an_empty_name_becomes():
    assert safe_file_stem("///", fallback="export") == "export"

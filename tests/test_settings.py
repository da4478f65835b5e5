"""A rep tunes saletui with a small YAML file. What they leave out keeps the built-in
default; every mistake names the file, the line and, for a typo, the key they meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.config_error import ConfigError
from saletui.method.attention import DEFAULT_CONTACT_DAYS
from saletui.settings import Paths, Settings, config_root, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert exc.value.path == path
    assert str(exc.value).startswith(str(path))
    assert "\n" not in str(exc.value)
    return exc.value


# -- defaults ------------------------------------------------------------------------


def test_without_a_settings_file_the_built_in_defaults_apply(tmp_path):
    settings = load_settings(tmp_path / "does-not-exist.yaml")
    assert settings == load_settings(None)
    assert settings.language == ""
    assert settings.theme == "textual-dark"
    assert settings.database == ""
    assert settings.keymap == {}
    assert settings.attention.contact_days == DEFAULT_CONTACT_DAYS


def test_the_shipped_settings_file_matches_the_code_defaults():
    """The commented file users copy from must say what the program actually does."""
    assert (config_root() / "settings.yaml").is_file()
    assert load_settings(None) == Settings()


def test_an_empty_settings_file_changes_nothing(tmp_path):
    assert load_settings(write(tmp_path, "# nothing yet\n")) == load_settings(None)


# -- overriding ----------------------------------------------------------------------


def test_a_rep_follows_up_ei_accounts_weekly_and_keeps_every_other_threshold(tmp_path):
    settings = load_settings(write(tmp_path, "attention:\n  contact_days:\n    EI: 7\n"))
    assert settings.attention.contact_days["EI"] == 7
    assert settings.attention.thresholds().for_class("EI") == 7
    others = {k: v for k, v in settings.attention.contact_days.items() if k != "EI"}
    assert others == {k: v for k, v in DEFAULT_CONTACT_DAYS.items() if k != "EI"}


def test_other_sets_the_threshold_of_unrated_accounts(tmp_path):
    settings = load_settings(write(tmp_path, "attention:\n  contact_days:\n    other: 90\n"))
    assert settings.attention.thresholds().for_class("") == 90


def test_language_theme_database_and_keys_can_be_set(tmp_path):
    settings = load_settings(
        write(
            tmp_path,
            "language: zh_CN\ntheme: nord\ndatabase: ~/crm.sqlite3\nkeymap:\n  quit: ctrl+q\n",
        )
    )
    assert (settings.language, settings.theme, settings.database) == ("zh_CN", "nord", "~/crm.sqlite3")
    assert settings.keymap == {"quit": "ctrl+q"}


def test_a_utf8_file_with_a_byte_order_mark_from_windows_notepad_is_read(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_bytes("\ufefflanguage: zh_CN\n".encode("utf-8"))
    assert load_settings(path).language == "zh_CN"


# -- mistakes ------------------------------------------------------------------------


def test_a_misspelt_top_level_key_suggests_the_right_one(tmp_path):
    err = error_for(tmp_path, "language: en\nthemee: nord\n")
    assert err.line == 2
    assert "unknown key `themee`" in str(err)
    assert "did you mean `theme`" in str(err)


def test_a_misspelt_class_code_suggests_the_right_one(tmp_path):
    err = error_for(tmp_path, "attention:\n  contact_days:\n    EI: 7\n    EIIII: 30\n")
    assert err.line == 4
    assert err.key == "attention.contact_days.EIIII"
    assert "did you mean" in str(err)


def test_an_unknown_key_without_a_close_match_is_still_refused(tmp_path):
    err = error_for(tmp_path, "colour_scheme_for_printing: yes\n")
    assert "unknown key" in str(err)
    assert "did you mean" not in str(err)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("theme: 3\n", 1, "expected text"),
        ("attention: 30\n", 1, "expected a mapping"),
        ("attention:\n  contact_days:\n    EI: weekly\n", 3, "expected a number"),
        ("attention:\n  contact_days:\n    EI: true\n", 3, "expected a number"),
        ("attention:\n  contact_days:\n    EI: 0\n", 3, "at least 1 day"),
        ("attention:\n  contact_days: [30, 60]\n", 2, "expected a mapping"),
        ("keymap:\n  quit: 5\n", 2, "expected text"),
        ("- language\n- theme\n", 1, "must be a mapping"),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_at_its_line(tmp_path, text, line, expected):
    err = error_for(tmp_path, text)
    assert err.line == line
    assert expected in str(err)


@pytest.mark.parametrize("language", ["fr", "zh", "chinese"])
def test_only_supported_languages_are_accepted(tmp_path, language):
    err = error_for(tmp_path, f"theme: nord\nlanguage: {language}\n")
    assert err.line == 2 and err.key == "language"
    assert "zh_CN" in str(err)


def test_a_yaml_syntax_error_reports_line_and_column(tmp_path):
    err = error_for(tmp_path, "language: en\nattention:\n  contact_days: [EI: 3\n")
    assert err.line is not None and err.column is not None
    assert err.line >= 3
    assert f":{err.line}:{err.column}:" in str(err)


def test_a_tab_used_for_indentation_reports_where(tmp_path):
    err = error_for(tmp_path, "attention:\n\tcontact_days: {}\n")
    assert (err.line, err.column) == (2, 1)


def test_a_key_given_twice_is_reported_at_the_second_one(tmp_path):
    """YAML would silently keep the last value; a rep editing a long file would not notice."""
    err = error_for(tmp_path, "theme: nord\nlanguage: en\ntheme: gruvbox\n")
    assert (err.line, err.column) == (3, 1)
    assert "duplicate key `theme`" in str(err)


def test_a_nested_key_given_twice_is_reported(tmp_path):
    err = error_for(tmp_path, "attention:\n  contact_days:\n    EI: 7\n    EI: 9\n")
    assert err.line == 4
    assert "duplicate key `EI`" in str(err)


def test_a_list_used_as_a_key_is_reported_not_crashed_on(tmp_path):
    err = error_for(tmp_path, "? [EI, EII]\n: 7\n")
    assert err.line == 1


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    err = error_for(tmp_path, "theme: !!python/object/apply:os.system ['true']\n")
    assert err.line == 1


def test_a_file_that_is_not_utf8_text_is_reported(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_bytes("theme: nörd\n".encode("latin-1"))
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert "not UTF-8" in str(exc.value)


def test_a_directory_given_as_the_settings_file_is_reported(tmp_path):
    folder = tmp_path / "settings.yaml"
    folder.mkdir()
    with pytest.raises(ConfigError) as exc:
        load_settings(folder)
    assert "cannot read" in str(exc.value)


# -- where files live ----------------------------------------------------------------


def test_saletui_home_relocates_data_and_settings(tmp_path):
    paths = Paths.from_environment({"SALETUI_HOME": str(tmp_path / "portable")})
    assert paths.default_db == tmp_path / "portable" / "data" / "saletui.sqlite3"
    assert paths.demo_db == tmp_path / "portable" / "data" / "demo.sqlite3"
    assert paths.settings_file == tmp_path / "portable" / "config" / "settings.yaml"


def test_without_saletui_home_the_platform_user_directories_are_used():
    paths = Paths.from_environment({})
    assert paths.data_dir.name == "saletui"
    assert paths.config_dir.name == "saletui"


@pytest.mark.parametrize("text", ["theme: 0\n", "language: false\n", "database: [a, b]\n"])
def test_a_number_or_list_where_text_belongs_is_an_error_not_silently_emptied(tmp_path, text):
    error = error_for(tmp_path, text)
    assert "expected text" in str(error)


# -- playbooks -----------------------------------------------------------------------


def test_by_default_no_team_folders_and_the_personal_playbook_in_the_config_folder(tmp_path):
    settings = load_settings(None)
    assert settings.playbooks.team_dirs == []
    assert settings.playbooks.personal_file == ""
    paths = Paths.from_environment({"SALETUI_HOME": str(tmp_path / "home")})
    assert settings.playbooks.personal_path(paths) == tmp_path / "home" / "config" / "playbook.yaml"


def test_the_shipped_settings_file_parses_to_the_code_defaults():
    from saletui.settings import parse_settings
    from saletui.yaml_source import load_yaml

    path = config_root() / "settings.yaml"
    assert parse_settings(path, load_yaml(path), Settings()) == Settings()


def test_a_team_lead_points_saletui_at_shared_playbook_folders(tmp_path):
    settings = load_settings(
        write(
            tmp_path,
            """\
playbooks:
  team_dirs:
    - /mnt/sales-share/playbooks
    - team-playbooks
  personal_file: /home/li/my-answers.yaml
""",
        )
    )
    assert settings.playbooks.team_dirs == ["/mnt/sales-share/playbooks", str(tmp_path / "team-playbooks")]
    assert settings.playbooks.team_paths() == [Path("/mnt/sales-share/playbooks"), tmp_path / "team-playbooks"]
    paths = Paths.from_environment({"SALETUI_HOME": str(tmp_path)})
    assert settings.playbooks.personal_path(paths) == Path("/home/li/my-answers.yaml")
    assert settings.theme == "textual-dark"  # the rest keeps its default


def test_a_home_relative_team_folder_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "li"))
    settings = load_settings(write(tmp_path, "playbooks:\n  team_dirs: [~/share]\n  personal_file: mine.yaml\n"))
    assert settings.playbooks.team_dirs == [str(tmp_path / "li" / "share")]
    assert settings.playbooks.personal_file == str(tmp_path / "mine.yaml")


def test_a_misspelt_playbooks_key_suggests_the_right_one(tmp_path):
    err = error_for(tmp_path, "playbooks:\n  team_dir: [a]\n")
    assert (err.line, err.key) == (2, "playbooks.team_dir")
    assert "did you mean `team_dirs`" in str(err)


def test_a_misspelt_playbooks_section_suggests_the_right_one(tmp_path):
    err = error_for(tmp_path, "playbook:\n  team_dirs: []\n")
    assert err.line == 1
    assert "did you mean `playbooks`" in str(err)


@pytest.mark.parametrize(
    ("text", "line", "key", "expected"),
    [
        ("playbooks: [a]\n", 1, "playbooks", "expected a mapping"),
        ("playbooks:\n  team_dirs: /mnt/share\n", 2, "playbooks.team_dirs", "expected a list of folders"),
        (
            "playbooks:\n  team_dirs:\n    - /mnt/share\n    - 42\n",
            4,
            "playbooks.team_dirs[1]",
            "expected a folder path",
        ),
        ("playbooks:\n  team_dirs: ['']\n", 2, "playbooks.team_dirs[0]", "expected a folder path"),
        ("playbooks:\n  personal_file: [a.yaml]\n", 2, "playbooks.personal_file", "expected text"),
    ],
)
def test_a_wrong_playbooks_value_is_reported_at_its_line(tmp_path, text, line, key, expected):
    err = error_for(tmp_path, text)
    assert (err.line, err.key) == (line, key)
    assert expected in str(err)


# -- every problem at once -------------------------------------------------------------


SEVERAL_MISTAKES = """\
language: fr
themee: nord
attention:
  contact_days:
    EI: weekly
    EIIII: 30
    EII: 0
keymap:
  quit: 5
theme: x
theme: y
playbooks:
  team_dirs: [shared, 3]
"""


def test_a_settings_file_with_several_mistakes_reports_them_all_at_their_line_and_column(tmp_path):
    """A rep fixing the file should not have to restart the app once per typo. The order is
    the checker's: keys given twice (read first), unknown keys of a mapping, then its values."""
    path = write(tmp_path, SEVERAL_MISTAKES)
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    found = [(e.line, e.column, e.key, e.problem) for e in exc.value.errors]
    assert [(line, column, key) for line, column, key, _problem in found] == [
        (11, 1, None),
        (2, 1, "themee"),
        (1, 1, "language"),
        (6, 5, "attention.contact_days.EIIII"),
        (5, 5, "attention.contact_days.EI"),
        (7, 5, "attention.contact_days.EII"),
        (9, 3, "keymap.quit"),
        (13, 23, "playbooks.team_dirs[1]"),
    ]
    problems = [problem for *_where, problem in found]
    assert problems[0] == "duplicate key `theme`"
    assert "did you mean `theme`" in problems[1]
    assert "zh_CN" in problems[2]
    assert "did you mean" in problems[3]
    assert "expected a number" in problems[4]
    assert "at least 1 day" in problems[5]
    assert "expected text" in problems[6]
    assert "expected a folder path" in problems[7]
    lines = str(exc.value).splitlines()
    assert len(lines) == 8
    assert all(line.startswith(f"{path}:") for line in lines)
    assert lines[1].startswith(f"{path}:2:1: themee: unknown key `themee`")
    # Read as one error, it is the first problem found.
    assert (exc.value.line, exc.value.column) == (11, 1)


def test_a_chinese_rep_reads_the_yaml_problems_in_chinese(tmp_path):
    from saletui.i18n import set_language

    set_language("zh_CN")  # the conftest fixture puts English back after the test
    path = write(tmp_path, "theme: nord\ntheme: gruvbox\n? [EI, EII]\n: 7\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert [(e.line, e.column, e.problem) for e in exc.value.errors] == [
        (2, 1, "重复的键 `theme`"),
        (3, 3, "键必须是一个普通的词，不能是列表或映射"),
    ]
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(ConfigError) as exc:
        load_settings(folder)
    assert exc.value.problem.startswith("无法读取文件：")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("theme: nörd\n".encode("latin-1"))
    with pytest.raises(ConfigError) as exc:
        load_settings(latin)
    assert exc.value.problem.startswith("不是 UTF-8 文本（字节偏移 8 处：")  # 0-based, as in English


def test_the_currency_of_new_accounts_is_an_iso_code_and_defaults_to_cny(tmp_path):
    assert load_settings(None).currency == "CNY"
    assert load_settings(write(tmp_path, "currency: usd\n")).currency == "USD"
    err = error_for(tmp_path, "theme: nord\ncurrency: 元\n")
    assert err.line == 2 and "three-letter currency code" in str(err) and "'元'" in str(err)


# -- classes: and purchases: (mistakes reported, the app goes on) ------------------------


def test_the_classes_and_purchase_rules_are_read_from_their_sections(tmp_path):
    settings = load_settings(
        write(
            tmp_path,
            "classes:\n  window_months: 6\n  contribution:\n    rule: min_share\n    share: 0.1\n"
            "  stability:\n    min_months: 4\n    min_quarters: 2\n    max_month_share: 1\n"
            "purchases:\n  no_purchase_days: 60\n  run_out_factor: 2\n",
        )
    )
    rules = settings.classes
    assert (rules.window_months, rules.contribution_rule, rules.contribution_share) == (6, "min_share", 0.1)
    assert (rules.min_months, rules.min_quarters, rules.max_month_share) == (4, 2, 1.0)
    assert settings.purchases.no_purchase_days == 60 and settings.purchases.run_out_factor == 2.0
    assert settings.purchases.run_out_min_orders == 3  # left out: the default
    assert settings.thresholds().purchases == settings.purchases
    assert settings.problems == ()


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("classes:\n  stability:\n    min_months: 13\n", 3, "classes.stability.min_months", "between 1 and 12"),
        (
            "classes:\n  window_months: 6\n  stability:\n    min_quarters: 3\n",
            4,
            "classes.stability.min_quarters",
            "between 0 and 2",
        ),
        ("classes:\n  contribution:\n    rule: pareto\n", 3, "classes.contribution.rule", "top_share or min_share"),
        ("classes:\n  contribution:\n    share: 80%\n", 3, "classes.contribution.share", "expected a number"),
        ("classes:\n  window_month: 12\n", 2, "classes.window_month", "did you mean `window_months`"),
        ("purchases:\n  run_out_factor: 0.5\n", 2, "purchases.run_out_factor", "between 1 and 10"),
        ("purchases:\n  no_purchase_days: 1.5\n", 2, "purchases.no_purchase_days", "whole number"),
    ],
)
def test_a_bad_class_or_purchase_value_is_reported_at_its_line_and_the_section_keeps_its_defaults(
    tmp_path, text, line, key, message
):
    path = write(tmp_path, "theme: nord\n" + text)
    settings = load_settings(path)  # no exception: saletui starts
    (problem,) = settings.problems
    assert (problem.path, problem.line, problem.key) == (path, line + 1, key)
    assert message in str(problem) and str(problem).startswith(f"{path}:{line + 1}")
    assert settings.classes == Settings().classes and settings.purchases == Settings().purchases
    assert settings.theme == "nord"  # the rest of the file applies


def test_a_mistake_elsewhere_still_stops_the_start_while_a_classes_mistake_does_not(tmp_path):
    err = error_for(tmp_path, "classes:\n  window_months: 0\nlanguage: fr\n")
    assert err.key == "language"


# -- after signing: the implementation phases ------------------------------------------


def test_by_default_learning_is_followed_up_closest_and_each_phase_has_a_length(tmp_path):
    cadence = load_settings(None).after_signing
    assert (cadence.new_toy.lasts, cadence.learning.lasts, cadence.effectiveness.lasts) == (14, 60, 90)
    assert cadence.learning.follow_up < cadence.new_toy.follow_up < cadence.effectiveness.follow_up


def test_a_rep_makes_learning_last_longer_and_keeps_the_other_phases(tmp_path):
    settings = load_settings(write(tmp_path, "after_signing:\n  learning:\n    lasts: 90\n"))
    cadence = settings.after_signing
    assert (cadence.learning.lasts, cadence.learning.follow_up) == (90, 3)
    assert cadence.new_toy == load_settings(None).after_signing.new_toy


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("after_signing: 7\n", 1, "expected a mapping"),
        ("after_signing:\n  learnig:\n    lasts: 9\n", 2, "did you mean `learning`"),
        ("after_signing:\n  learning:\n    lasts: two months\n", 3, "expected a number"),
        ("after_signing:\n  new_toy:\n    follow_up: 0\n", 3, "at least 1 day"),
        ("after_signing:\n  new_toy:\n    every: 3\n", 3, "unknown key"),
        ("after_signing:\n  learning:\n    lasts: 30\n    follow_up: 10\n", 4, "follow most closely"),
    ],
)
def test_a_bad_after_signing_value_is_reported_at_its_line(tmp_path, text, line, expected):
    err = error_for(tmp_path, text)
    assert err.line == line
    assert expected in str(err)
    assert "after_signing" in str(err)

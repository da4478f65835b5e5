"""The people of an account in a real SQLite file: what a rep types is validated field by
field, the reporting tree never gets a cycle, and the account's warning count follows
every kind of edit so the account list can show it without reading everyone."""

from __future__ import annotations

import pytest

from saletui.errors import ValidationError
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, InfluenceLink, database
from saletui.store.people import PersonDraft


def _count(table: str) -> int:
    return database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def stored_count(account_id: int) -> int | None:
    return Account.get_by_id(account_id).warning_count


def assert_count_current(account_id: int) -> None:
    assert stored_count(account_id) == len(people.warnings_for(account_id))
    assert accounts.get_row(account_id).warnings == len(people.warnings_for(account_id))


@pytest.fixture
def acme(store) -> int:
    return accounts.save(AccountDraft(name="Acme Steel", owner="Sarah")).id


@pytest.fixture
def org(acme) -> dict[str, int]:
    """Wang (GM) ── Li (purchasing) ── Zhao (buyer); Wang ── Chen (engineering)."""
    wang = people.save(
        acme, PersonDraft(name="Wang Wei", title="General Manager", influence="1", buying_role="decision-maker")
    ).id
    li = people.save(acme, PersonDraft(name="Li Na", title="Purchasing Manager", reports_to=wang, influence="2")).id
    zhao = people.save(acme, PersonDraft(name="Zhao Lei", title="Buyer", reports_to=li, influence="4")).id
    chen = people.save(acme, PersonDraft(name="Chen Jie", title="Chief Engineer", reports_to=wang)).id
    return {"wang": wang, "li": li, "zhao": zhao, "chen": chen, "account": acme}


def manager_of(person_id: int) -> int | None:
    return people.get(person_id).reports_to_id


# -- saving with validation -------------------------------------------------------------------


def test_a_rep_maps_a_person_and_finds_them_on_the_chart(acme):
    person = people.save(
        acme,
        PersonDraft(
            name="Wang Wei",
            title="GM",
            department="Management",
            influence="1",
            is_coach=True,
            attitude="supporter",
            coverage="brief",
            buying_role="decision-maker",
            owner="Julia",
            phone="+86 21 5555 0101",
            email="wang@acme.cn",
        ),
    )
    [row] = people.for_account(acme)
    assert (row.id, row.name, row.title, row.department, row.influence, row.is_coach) == (
        person.id,
        "Wang Wei",
        "GM",
        "Management",
        1,
        True,
    )
    assert (row.attitude, row.coverage, row.buying_role, row.owner) == ("supporter", "brief", "decision-maker", "Julia")
    assert people.get(person.id).email == "wang@acme.cn"


def test_a_person_needs_a_name(acme):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="   ", title="GM"))
    assert set(exc.value.errors) == {"name"}
    assert _count("person") == 0


@pytest.mark.parametrize("email", ["wang.wei@acme.cn", "", "li+sales@example.co.uk"])
def test_valid_email_addresses_are_accepted(acme, email):
    assert people.get(people.save(acme, PersonDraft(name="Wang", email=email)).id).email == email


@pytest.mark.parametrize("email", ["wang", "wang@acme", "wang wei@acme.cn", "@acme.cn"])
def test_an_invalid_email_address_is_refused(acme, email):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="Wang", email=email))
    assert set(exc.value.errors) == {"email"}
    assert _count("person") == 0


@pytest.mark.parametrize(("typed", "level"), [("1", 1), ("5", 5), ("L2", 2), ("l3", 3), (" 4 ", 4), ("", None)])
def test_influence_is_typed_as_a_number_or_as_l_level(acme, typed, level):
    person = people.save(acme, PersonDraft(name="Wang", influence=typed))
    assert people.get(person.id).influence == level


@pytest.mark.parametrize("typed", ["0", "6", "L0", "high", "-1", "1.5"])
def test_influence_outside_1_to_5_is_refused(acme, typed):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="Wang", influence=typed))
    assert set(exc.value.errors) == {"influence"}


@pytest.mark.parametrize("phone", ["+86 (21) 5555-0101", "021-5555 0101 转 808", "+1 312.555.0101 ext 12", ""])
def test_phone_and_fax_numbers_as_people_write_them_are_accepted(acme, phone):
    person = people.save(acme, PersonDraft(name="Wang", phone=phone, fax=phone))
    assert (people.get(person.id).phone, people.get(person.id).fax) == (phone, phone)


def test_a_phone_number_with_letters_is_refused_per_field(acme):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="Wang", phone="call me maybe", fax="0101 ask Li"))
    assert set(exc.value.errors) == {"phone", "fax"}


def test_choices_outside_the_method_are_refused(acme):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="Wang", attitude="friendly", coverage="lots", buying_role="boss"))
    assert set(exc.value.errors) == {"attitude", "coverage", "buying_role"}


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(acme):
    with pytest.raises(ValidationError) as exc:
        people.save(acme, PersonDraft(name="", email="x", influence="9"))
    assert set(exc.value.errors) == {"name", "email", "influence"}
    assert _count("person") == 0


def test_the_manager_must_be_at_the_same_account(org):
    other = accounts.save(AccountDraft(name="Globex")).id
    with pytest.raises(ValidationError) as exc:
        people.save(other, PersonDraft(name="Sun", reports_to=org["wang"]))
    assert set(exc.value.errors) == {"reports_to"}
    assert people.for_account(other) == []


def test_editing_a_person_to_report_to_their_own_report_is_refused(org):
    draft = PersonDraft.from_person(people.get(org["wang"]))
    draft.reports_to = org["zhao"]
    with pytest.raises(ValidationError) as exc:
        people.save(org["account"], draft, person_id=org["wang"])
    assert set(exc.value.errors) == {"reports_to"}
    assert manager_of(org["wang"]) is None


def test_editing_a_person_to_report_to_themselves_is_refused(org):
    draft = PersonDraft.from_person(people.get(org["li"]))
    draft.reports_to = org["li"]
    with pytest.raises(ValidationError):
        people.save(org["account"], draft, person_id=org["li"])
    assert manager_of(org["li"]) == org["wang"]


def test_an_edit_round_trips_through_the_form(org):
    draft = PersonDraft.from_person(people.get(org["li"]))
    assert (draft.name, draft.reports_to, draft.influence) == ("Li Na", org["wang"], "2")
    draft.title = "VP Supply Chain"
    people.save(org["account"], draft, person_id=org["li"])
    stored = people.get(org["li"])
    assert (stored.title, stored.reports_to_id, stored.influence) == ("VP Supply Chain", org["wang"], 2)


# -- moving and deleting -------------------------------------------------------------------


def test_a_person_is_moved_under_another_manager(org):
    people.move(org["zhao"], org["chen"])
    assert manager_of(org["zhao"]) == org["chen"]
    people.move(org["zhao"], None)
    assert manager_of(org["zhao"]) is None


def test_moving_a_manager_under_their_own_report_is_refused_naming_both(org):
    before = people.get(org["wang"]).updated_at
    with pytest.raises(ValidationError) as exc:
        people.move(org["wang"], org["zhao"])
    message = exc.value.errors["reports_to"]
    assert "Wang Wei" in message and "Zhao Lei" in message
    assert message == "Cannot move Wang Wei under Zhao Lei: Zhao Lei reports to Wang Wei, directly or indirectly."
    assert manager_of(org["wang"]) is None
    assert people.get(org["wang"]).updated_at == before


def test_moving_a_person_under_themselves_is_refused_with_a_message_that_makes_sense(org):
    with pytest.raises(ValidationError) as exc:
        people.move(org["li"], org["li"])
    assert exc.value.errors["reports_to"] == "Li Na cannot report to themselves."
    assert manager_of(org["li"]) == org["wang"]


def test_moving_under_someone_at_another_account_is_refused(org):
    other = accounts.save(AccountDraft(name="Globex")).id
    stranger = people.save(other, PersonDraft(name="Sun")).id
    with pytest.raises(ValidationError):
        people.move(org["zhao"], stranger)
    assert manager_of(org["zhao"]) == org["li"]


def test_deleting_a_manager_moves_their_reports_up_to_the_next_manager(org):
    people.delete(org["li"])
    assert manager_of(org["zhao"]) == org["wang"]
    assert {p.name for p in people.for_account(org["account"])} == {"Wang Wei", "Zhao Lei", "Chen Jie"}


def test_deleting_the_person_at_the_top_puts_their_reports_at_the_top(org):
    people.delete(org["wang"])
    assert manager_of(org["li"]) is None
    assert manager_of(org["chen"]) is None
    assert manager_of(org["zhao"]) == org["li"]


def test_a_failed_delete_changes_nothing(org):
    """Re-parenting and the delete are one transaction: the last write (the account's
    warning count) failing undoes the first ones."""
    from peewee import DatabaseError

    from saletui.store.models import database

    database.execute_sql(
        "CREATE TRIGGER refuse BEFORE UPDATE OF warning_count ON account BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(DatabaseError):
        people.delete(org["li"])
    assert manager_of(org["zhao"]) == org["li"]
    assert people.get(org["li"]).name == "Li Na"


def test_subordinates_are_everyone_below(org):
    assert people.subordinates(org["wang"]) == {org["li"], org["zhao"], org["chen"]}
    assert people.subordinates(org["zhao"]) == set()


# -- quick edits on the chart ------------------------------------------------------------------


def test_plus_raises_influence_towards_l1_and_minus_lowers_it_towards_l5(org):
    assert people.shift_influence(org["zhao"], +1).influence == 3
    assert people.shift_influence(org["zhao"], -1).influence == 4
    assert people.shift_influence(org["zhao"], -1).influence == 5


def test_influence_stays_between_l1_and_l5(org):
    assert people.shift_influence(org["wang"], +1).influence == 1
    people.set_influence(org["zhao"], 5)
    assert people.shift_influence(org["zhao"], -1).influence == 5


@pytest.mark.parametrize("delta", [+1, -1])
def test_an_unrated_person_starts_in_the_middle_at_l3(org, delta):
    assert people.get(org["chen"]).influence is None
    assert people.shift_influence(org["chen"], delta).influence == 3


def test_set_influence_refuses_levels_outside_the_scale(org):
    with pytest.raises(ValidationError):
        people.set_influence(org["zhao"], 6)
    assert people.set_influence(org["zhao"], None).influence is None


def test_the_coach_mark_toggles(org):
    assert people.toggle_coach(org["chen"]).is_coach is True
    assert people.toggle_coach(org["chen"]).is_coach is False


def test_attitude_cycles_through_every_value_and_wraps_around(org):
    seen = [people.cycle_attitude(org["li"]).attitude for _ in range(6)]
    assert seen == ["mentor", "supporter", "neutral", "non-supporter", "opponent", ""]
    assert people.cycle_attitude(org["li"], step=-1).attitude == "opponent"


def test_coverage_cycles_through_every_value_and_wraps_around(org):
    seen = [people.cycle_coverage(org["li"]).coverage for _ in range(5)]
    assert seen == ["none", "brief", "multiple", "in-depth", "unknown"]
    assert people.cycle_coverage(org["li"], step=-1).coverage == "in-depth"


# -- the warning count on the account --------------------------------------------------------


def test_a_new_account_gets_its_count_with_the_first_person(acme):
    people.save(acme, PersonDraft(name="Wang Wei"))
    assert_count_current(acme)


def test_the_warning_count_follows_every_kind_of_edit(org):
    acme = org["account"]
    assert_count_current(acme)
    edits = [
        lambda: people.toggle_coach(org["chen"]),  # coach found: one fewer
        lambda: people.set_influence(org["chen"], 1),  # a new key person, unowned
        lambda: people.shift_influence(org["chen"], -1),  # no longer key
        lambda: people.cycle_attitude(org["wang"], step=-1),  # the GM turns opponent
        lambda: people.cycle_coverage(org["wang"]),  # the GM gets coverage
        lambda: people.move(org["li"], None),
        lambda: people.save(acme, PersonDraft(name="Sun Li", influence="2")),
        lambda: people.save(
            acme,
            PersonDraft(name="Wang Wei", influence="1", owner="Julia", buying_role="decision-maker"),
            person_id=org["wang"],
        ),
        lambda: people.delete(org["chen"]),  # the coach is gone again
    ]
    counts = []
    for edit in edits:
        edit()
        assert_count_current(acme)
        counts.append(stored_count(acme))
    assert len(set(counts)) > 2, "the edits above change the number of warnings"


def test_deleting_everyone_leaves_the_nobody_mapped_warning(org):
    for key in ("zhao", "li", "chen", "wang"):
        people.delete(org[key])
    assert stored_count(org["account"]) == 1
    assert [w.text for w in people.warnings_for(org["account"])] == ["Nobody at this account is mapped yet."]


def test_counts_never_computed_are_filled_in(org):
    empty = accounts.save(AccountDraft(name="Globex")).id
    Account.update(warning_count=None).execute()
    assert people.refresh_missing_warning_counts() == 2
    assert stored_count(empty) == 1
    assert_count_current(org["account"])
    assert people.refresh_missing_warning_counts() == 0


# -- informal influence ----------------------------------------------------------------------


def test_a_rep_records_who_influences_whom(org):
    people.add_link(org["chen"], org["li"], note="old classmates")
    people.add_link(org["zhao"], org["wang"])
    links = people.links_for_account(org["account"])
    assert [(link.source_name, link.target_name, link.note) for link in links] == [
        ("Chen Jie", "Li Na", "old classmates"),
        ("Zhao Lei", "Wang Wei", ""),
    ]


def test_the_same_influence_is_recorded_once_but_the_reverse_is_separate(org):
    people.add_link(org["chen"], org["li"])
    with pytest.raises(ValidationError) as exc:
        people.add_link(org["chen"], org["li"], note="again")
    assert exc.value.errors["target"] == "Chen Jie is already recorded as influencing Li Na."
    people.add_link(org["li"], org["chen"])
    assert _count("influencelink") == 2


def test_nobody_influences_themselves_here(org):
    with pytest.raises(ValidationError):
        people.add_link(org["li"], org["li"])
    assert _count("influencelink") == 0


def test_influence_across_accounts_is_refused(org):
    other = accounts.save(AccountDraft(name="Globex")).id
    stranger = people.save(other, PersonDraft(name="Sun")).id
    with pytest.raises(ValidationError):
        people.add_link(stranger, org["li"])
    assert _count("influencelink") == 0


def test_links_go_with_a_deleted_person(org):
    people.add_link(org["chen"], org["li"])
    people.add_link(org["li"], org["wang"])
    people.add_link(org["zhao"], org["wang"])
    people.delete(org["li"])
    assert [(link.source_name, link.target_name) for link in people.links_for_account(org["account"])] == [
        ("Zhao Lei", "Wang Wei")
    ]
    assert InfluenceLink.select().count() == 1


def test_a_link_is_removed(org):
    link = people.add_link(org["chen"], org["li"])
    people.remove_link(link.id)
    assert people.links_for_account(org["account"]) == []


# -- staff and verbatim text -----------------------------------------------------------------


def test_staff_names_come_from_account_and_relationship_owners(org):
    people.save(org["account"], PersonDraft(name="Wang Wei", owner="Julia"), person_id=org["wang"])
    people.save(org["account"], PersonDraft(name="Sun", owner="Sarah"))
    accounts.save(AccountDraft(name="Globex", owner="Tom"))
    assert people.staff_names() == ["Julia", "Sarah", "Tom"]


@pytest.mark.parametrize("name", ["王伟", "株式会社 佐藤", "[red]Li[/]", 'O\'Brien "Bob" <b>'])
def test_names_are_stored_exactly_as_typed(acme, name):
    person = people.save(acme, PersonDraft(name=name, owner=name, title=name))
    assert people.get(person.id).name == name
    [row] = people.for_account(acme)
    assert (row.name, row.owner, row.title) == (name, name, name)


def test_a_ten_thousand_character_note_round_trips(acme):
    note = ("Prefers morning meetings.\n" + "关注交期和质量。" * 2_000)[:10_000]
    assert len(note) == 10_000
    person = people.save(acme, PersonDraft(name="Wang", notes=note, pains=note))
    assert people.get(person.id).notes == note
    assert PersonDraft.from_person(people.get(person.id)).pains == note

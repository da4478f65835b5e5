"""Each change to an account's people is one transaction that returns what the screen
redraws: the person, everyone's rows and the coverage warnings, computed once."""

from __future__ import annotations

import pytest
from peewee import DatabaseError, DoesNotExist

from saletui.errors import ValidationError
from saletui.method.org import coverage_warnings
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, database
from saletui.store.people import PeopleChange, PersonDraft
from tests.conftest import traced_statements


@pytest.fixture
def org(store) -> dict[str, int]:
    account = accounts.save(AccountDraft(name="Acme"))
    ceo = people.save(account.id, PersonDraft(name="Anna CEO", influence="1", buying_role="decision-maker"))
    buyer = people.save(account.id, PersonDraft(name="Ben Buyer", reports_to=ceo.id))
    return {"account": account.id, "ceo": ceo.id, "buyer": buyer.id}


def assert_matches_store(change: PeopleChange, account_id: int) -> None:
    """The returned rows and warnings are what a fresh read gives, and the count is stored."""
    assert change.rows == people.for_account(account_id)
    assert change.warnings == coverage_warnings([p.facts() for p in people.for_account(account_id)])
    assert Account.get_by_id(account_id).warning_count == len(change.warnings)


@pytest.mark.parametrize(
    ("rating", "value", "column", "expected"),
    [
        ("coach", 0, "is_coach", True),
        ("influence", 2, "influence", 2),
        ("shift", 1, "influence", 3),  # unrated starts at L3
        ("attitude", 1, "attitude", "mentor"),
        ("coverage", 1, "coverage", "none"),
    ],
)
def test_one_rating_key_is_one_transaction_of_three_statements(org, rating, value, column, expected):
    with traced_statements() as log:
        change = people.rate(org["account"], org["buyer"], rating, value)
    assert log.transactions == 1
    assert len(log.data) == 3  # the account's people, UPDATE ... RETURNING, the warning count
    assert getattr(change.person, column) == expected
    assert getattr(Person.get_by_id(org["buyer"]), column) == expected
    assert change.person.name == "Ben Buyer" and change.person.phone == ""  # every field, for the card
    assert_matches_store(change, org["account"])


def test_raising_influence_reorders_the_rows_as_a_fresh_read_would(org):
    change = people.rate(org["account"], org["buyer"], "influence", 1)
    assert [r.name for r in change.rows] == ["Anna CEO", "Ben Buyer"]
    change = people.rate(org["account"], org["ceo"], "influence", 0)  # cleared: last
    assert [r.name for r in change.rows] == ["Ben Buyer", "Anna CEO"]
    assert_matches_store(change, org["account"])


def test_a_rating_of_someone_at_another_account_is_refused_and_writes_nothing(org):
    other = accounts.save(AccountDraft(name="Other"))
    with pytest.raises(DoesNotExist):
        people.rate(other.id, org["buyer"], "coach")
    assert not Person.get_by_id(org["buyer"]).is_coach


def test_a_failed_count_undoes_the_rating(org):
    database.execute_sql(
        "CREATE TRIGGER refuse BEFORE UPDATE OF warning_count ON account BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(DatabaseError):
        people.rate(org["account"], org["buyer"], "coach")
    assert not Person.get_by_id(org["buyer"]).is_coach


def test_saving_from_the_form_returns_the_new_person_and_the_warnings(org):
    with traced_statements() as log:
        change = people.save_person(org["account"], PersonDraft(name="Cleo", reports_to=org["ceo"]))
    assert log.transactions == 1
    assert change.person is not None and change.person.name == "Cleo"
    assert change.person.id in {r.id for r in change.rows}
    assert_matches_store(change, org["account"])


def test_a_refused_form_writes_nothing(org):
    with pytest.raises(ValidationError):
        people.save_person(org["account"], PersonDraft(name=""))
    assert Person.select().count() == 2


def test_moving_returns_the_moved_person_under_the_new_manager(org):
    cleo = people.save(org["account"], PersonDraft(name="Cleo"))
    with traced_statements() as log:
        change = people.move_person(org["account"], cleo.id, org["buyer"])
    assert log.transactions == 1
    assert change.person is not None and change.person.reports_to_id == org["buyer"]
    assert next(r for r in change.rows if r.id == cleo.id).reports_to == org["buyer"]
    assert_matches_store(change, org["account"])


def test_moving_into_a_cycle_is_refused(org):
    with pytest.raises(ValidationError):
        people.move_person(org["account"], org["ceo"], org["buyer"])
    assert Person.get_by_id(org["ceo"]).reports_to_id is None


def test_deleting_returns_the_rest_with_the_reports_moved_up(org):
    with traced_statements() as log:
        change = people.delete_person(org["account"], org["ceo"])
    assert log.transactions == 1
    assert change.person is None
    assert [(r.name, r.reports_to) for r in change.rows] == [("Ben Buyer", None)]
    assert_matches_store(change, org["account"])

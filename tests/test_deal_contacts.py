"""Contact roles per deal: a rep records who takes part in a deal and as what, one of
them primary; the same person plays different roles in different deals, and the deal's
buying centre is checked for the person who decides, a second thread and our coach."""

from __future__ import annotations

import pytest

from saletui.errors import ValidationError
from saletui.method import deal_roles
from saletui.store import accounts, deal_contacts, deals, people
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.people import PersonDraft


@pytest.fixture
def acme(store):
    account = accounts.save(AccountDraft(name="Acme", relationship="customer")).id
    wang = people.save(account, PersonDraft(name="Wang Wei", title="CEO", influence="1")).id
    li = people.save(account, PersonDraft(name="Li Na", title="IT lead", influence="3")).id
    zhao = people.save(account, PersonDraft(name="Zhao Lei", title="Buyer", influence="2", is_coach=True)).id
    line = deals.save(account, DealDraft(title="Production line")).id
    service = deals.save(account, DealDraft(title="Service contract")).id
    return {"account": account, "wang": wang, "li": li, "zhao": zhao, "line": line, "service": service}


def test_the_first_contact_is_primary_and_roles_keep_the_methods_order(acme):
    deal_contacts.set_roles(acme["line"], acme["li"], ["user", "technical-buyer"])
    deal_contacts.set_roles(acme["line"], acme["wang"], ["economic-buyer", "decision-maker"])
    rows = deal_contacts.for_deal(acme["line"])
    assert [(r.name, r.roles, r.primary) for r in rows] == [
        ("Li Na", ("technical-buyer", "user"), True),  # the primary first
        ("Wang Wei", ("decision-maker", "economic-buyer"), False),
    ]


def test_an_unknown_role_is_refused_even_from_a_generator(acme):
    with pytest.raises(ValidationError):
        deal_contacts.set_roles(acme["line"], acme["li"], (role for role in ["user", "chief"]))
    assert deal_contacts.for_deal(acme["line"]) == []
    deal_contacts.set_roles(acme["line"], acme["li"], (role for role in ["user", "coach"]))
    assert deal_contacts.for_deal(acme["line"])[0].roles == ("user", "coach")


def test_the_same_person_plays_different_roles_in_different_deals(acme):
    deal_contacts.set_roles(acme["line"], acme["wang"], ["decision-maker"])
    deal_contacts.set_roles(acme["service"], acme["wang"], ["influencer"])
    assert deal_contacts.for_deal(acme["line"])[0].roles == ("decision-maker",)
    assert deal_contacts.for_deal(acme["service"])[0].roles == ("influencer",)


def test_one_primary_per_deal_and_the_next_takes_over_when_it_leaves(acme):
    for who in ("li", "wang", "zhao"):
        deal_contacts.set_roles(acme["line"], acme[who], ["influencer"])
    deal_contacts.set_primary(acme["line"], acme["zhao"])
    assert [r.name for r in deal_contacts.for_deal(acme["line"]) if r.primary] == ["Zhao Lei"]
    deal_contacts.remove(acme["line"], acme["zhao"])
    # The most influential of the rest: Wang Wei (L1).
    assert [r.name for r in deal_contacts.for_deal(acme["line"]) if r.primary] == ["Wang Wei"]
    people.delete(acme["wang"])  # deleted from the org chart: the deal keeps a primary
    assert [(r.name, r.primary) for r in deal_contacts.for_deal(acme["line"])] == [("Li Na", True)]


def test_a_person_of_another_account_or_no_role_is_refused_and_nothing_is_written(acme):
    other = accounts.save(AccountDraft(name="Beta")).id
    stranger = people.save(other, PersonDraft(name="Stranger")).id
    with pytest.raises(ValidationError) as refused:
        deal_contacts.set_roles(acme["line"], stranger, ["user"])
    assert "person" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        deal_contacts.set_roles(acme["line"], acme["li"], [])
    assert "roles" in refused.value.errors
    with pytest.raises(ValidationError):
        deal_contacts.set_roles(acme["line"], acme["li"], ["boss"])
    assert deal_contacts.for_deal(acme["line"]) == []


def test_the_buying_centre_warnings(acme):
    def facts() -> list[deal_roles.ContactFacts]:
        return [r.facts() for r in deal_contacts.for_deal(acme["line"])]

    assert deal_roles.no_power(facts()) and deal_roles.single_threaded(facts()) and deal_roles.coach_missing(facts())
    deal_contacts.set_roles(acme["line"], acme["li"], ["technical-buyer"])
    assert deal_roles.single_threaded(facts()) and deal_roles.no_power(facts())
    deal_contacts.set_roles(acme["line"], acme["wang"], ["economic-buyer"])
    assert not deal_roles.single_threaded(facts()) and not deal_roles.no_power(facts())
    assert deal_roles.coach_missing(facts())
    deal_contacts.set_roles(acme["line"], acme["zhao"], ["user"])  # the account's coach takes part
    assert not deal_roles.coach_missing(facts())


def test_deleting_a_deal_takes_its_contacts_with_it(acme):
    from saletui.store.models import Deal, DealContact

    deal_contacts.set_roles(acme["line"], acme["li"], ["user"])
    Deal.delete_by_id(acme["line"])
    assert DealContact.select().count() == 0

"""Demo data: a realistic book of key accounts to try saletui with.

`build_demo` fills the open database with about fifty accounts (Chinese and English),
their buying organisations, deals at every stage and two years of visits. Everything is
derived from one seeded `random.Random` and from `today`, so the same seed and date give
the same data. It writes in one transaction with bulk inserts and explicit ids.

The texts (our reps and staff, the accounts, names, departments and titles, deal titles,
visit notes, in Chinese and English) live in `demo_data.json` beside this module, read
once when a demo is first built. Its keys:

- `reps_cn`, `reps_en`, `staff_cn`, `staff_en`, `executives`: our own people (staff are
  engineers and quality people who own relationships beyond purchasing).
- `accounts`: one list per account: name, language (cn/en), industry, region, class
  (EI..EIV customer, PI..PIV prospect, P prospect not rated, F future), 5+5+5 tier,
  e-mail domain, phone prefix.
- `depts`: department key -> language -> [department name, level-2, level-3, level-4 titles].
- `plan_goals` (per tier), `plan_actions`, `plan_contact_objectives`: the 5+5+5 plans' texts.
- `products`: per language, [product, category] pairs the demo orders are of.
- `order_story`: the customers whose orders tell a story: `never_bought`, `lapsed` (nothing
  for over half a year), `run_out` (regular buyers who stopped two months ago) and `pinned`
  (name -> the class its orders follow, while its class stays set by hand).
- the others: texts per language ("cn"/"en") that the generator picks from.

Two years of orders give every customer the class it has: EI big and every month, EII big
but now and then, EIII small and every month, EIV small and now and then (see `_orders`).

Amounts are exact integers of fen: every demo account is in CNY, the default currency.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import fn

from saletui.method.deal_roles import suggested_roles
from saletui.method.derivation import ClassRules
from saletui.process.schema import Process
from saletui.store import derived, orders
from saletui.store.milestones import apply_template
from saletui.store.models import (
    Account,
    AccountPlan,
    BaseModel,
    Deal,
    DealContact,
    Milestone,
    Person,
    PlanAction,
    PlanContact,
    PlanMonth,
    Visit,
    VisitAttendee,
    VisitItem,
    database,
)
from saletui.store.people import refresh_missing_warning_counts

_CHINESE = re.compile(r"[\u4e00-\u9fff]")  # an account named in Chinese has Chinese demo data

DATA_FILE = Path(__file__).with_name("demo_data.json")

# One row to bulk-insert: column name -> value (text, number, date or None, per column).
_Row = dict[str, Any]


@functools.cache
def _data() -> dict[str, Any]:
    """The demo's texts, read on first use (never at import: see the module docstring)."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


_AXES = {"I": ("high", "high"), "II": ("high", "low"), "III": ("low", "high"), "IV": ("low", "low")}
_ATTITUDES = ("mentor", "supporter", "neutral", "non-supporter", "opponent")
_COVERAGE = ("unknown", "none", "brief", "multiple", "in-depth")

_PURPOSES = ("care", "information", "progress", "service", "intelligence")
_PURPOSES_PROSPECT = ("care", "information", "progress", "intelligence")
_KINDS = ("visit", "call", "meeting", "email")


def _progress_text(lang: str, stage: int) -> list[str]:
    """The deal-progress texts that fit a stage: qualifying, criteria, negotiating (each
    four texts from the data file: objective, outcome, debrief, next step)."""
    options: list[list[str]] = _data()["visit_text"]["progress"][lang]
    return options[0] if stage <= 2 else options[1] if stage <= 4 else options[2]


_KIND_WEIGHTS = (45, 25, 15, 15)


def _ascii(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: Müller -> mueller, O'Brien -> obrien."""
    text = text.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text)


def _chunks(rows: list[_Row], model: type[BaseModel]) -> None:
    """Bulk insert in chunks that stay under SQLite's variable limit."""
    if not rows:
        return
    size = max(1, 900 // len(rows[0]))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i : i + size]).execute()


def _next_id(model: type[BaseModel]) -> int:
    highest: int | None = model.select(fn.MAX(model.id)).scalar()
    return (highest or 0) + 1


class _Builder:
    def __init__(self, today: dt.date, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.accounts: list[_Row] = []
        self.people: list[_Row] = []
        self.deals: list[_Row] = []
        self.visits: list[_Row] = []
        self.attendees: list[_Row] = []
        self.ids: dict[type[BaseModel], int] = {m: _next_id(m) for m in (Account, Deal, Person, Visit)}
        self.stage_cycle = {"E": 0, "P": 0}

    def new_id(self, model: type[BaseModel]) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def at(self, days_ago: int, hour: int | None = None) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(9, 17) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)))

    def money(self, low: float, high: float) -> int:
        """Log-uniform amount of yuan between low and high, rounded to two significant
        figures, as exact fen (the demo's accounts are all in CNY)."""
        value: float = low * (high / low) ** self.rng.random()
        step: int = 10 ** max(0, len(str(int(value))) - 2)
        return round(value / step) * step * 100

    # -- one account ----------------------------------------------------------------------

    def account(self, spec: list[str]) -> None:
        rng, today = self.rng, self.today
        name, lang, industry, region, code, tier, domain, phone = spec
        account_id = self.new_id(Account)
        axes: tuple[str | None, str | None]
        if code == "F":
            relationship, axes = "future", (None, None)
        elif code == "P":
            relationship, axes = "prospect", (None, None)
        else:
            relationship = "customer" if code[0] == "E" else "prospect"
            axes = _AXES[code[1:]]
        big = axes[0] == "high"
        owner = rng.choice((*_data()["reps_cn"], "Sarah Chen") if lang == "cn" else (*_data()["reps_en"], "张伟"))

        # Contact history profile: when was the last done visit (days ago), or never.
        if code in ("F", "P"):
            last_ago = None if code == "P" or name != "Polaris Cold Chain Oy" else rng.randint(400, 600)
        elif tier or code in ("EI", "EII", "PI"):
            last_ago = rng.randint(1, 20)
        elif code in ("EIII", "PII"):
            last_ago = rng.randint(15, 150)
        else:
            last_ago = rng.choice((rng.randint(30, 200), rng.randint(370, 640), rng.randint(370, 640)))
        if code == "PIV" and name == "Granite Mining Equipment":
            last_ago = None  # a rated prospect nobody has called yet
        created_ago = (last_ago or 0) + rng.randint(60, 720 - (last_ago or 0) if (last_ago or 0) < 600 else 120)

        # People first: visits need them.
        people = self.org(account_id, lang, domain, phone, region, owner, contacted=last_ago is not None)

        # Deals.
        open_deals = self.deals_for(account_id, lang, relationship, code, tier, big, created_ago)

        # Visits.
        last_visit = self.visits_for(account_id, lang, people, open_deals, last_ago, code, created_ago)

        # Next step on the account.
        r = rng.random()
        if last_visit is None:
            next_step = _data()["next_steps"][lang][6] if r < 0.6 else ""  # first call
        elif r < 0.8:
            next_step = last_visit["next_step"]
        elif r < 0.9:
            next_step = rng.choice(_data()["next_steps"][lang])
        else:
            next_step = ""
        if not next_step:
            next_date = None
        elif rng.random() < 0.35:
            next_date = today - dt.timedelta(days=rng.randint(1, 30))  # overdue
        elif rng.random() < 0.9:
            next_date = today + dt.timedelta(days=rng.randint(1, 45))
        else:
            next_date = None

        capacity = excluded = None
        if code != "F" or rng.random() < 0.5:
            capacity = self.money(5e6, 6e7) if big else self.money(3e5, 6e6)
            excluded = int(round(capacity // 100 * rng.uniform(0.05, 0.4), -3)) * 100  # whole thousands of yuan
        fill = {
            "year": rng.randint(1988, 2015),
            "share": rng.randint(5, 35),
            "growth": rng.randint(2, 18),
            "weeks": rng.randint(3, 14),
            "months": rng.randint(6, 24),
        }
        profile = "\n".join(
            t.format(**fill)
            for t in sorted(rng.sample(_data()["profile"][lang], rng.randint(2, 4)), key=_data()["profile"][lang].index)
        )
        rules = "; ".join(rng.sample(_data()["rules"][lang], rng.randint(1, 3))) if relationship == "customer" else ""
        created = self.at(created_ago, 10)
        self.accounts.append(
            {
                "id": account_id,
                "name": name,
                "industry": industry,
                "region": region,
                "owner": owner,
                "relationship": relationship,
                "contribution": axes[0] if relationship == "customer" else None,
                "stability": axes[1] if relationship == "customer" else None,
                "expected_value": axes[0] if relationship == "prospect" else None,
                "intent": axes[1] if relationship == "prospect" else None,
                "tier": tier,
                "market_capacity": capacity,
                "excluded_capacity": excluded,
                "excluded_channels": rng.choice(_data()["excluded_channels"][lang])
                if capacity and rng.random() < 0.7
                else "",
                "credit_terms": rng.choice(_data()["credit"][lang])
                if relationship == "customer"
                else (rng.choice(_data()["credit"][lang][3:4]) if rng.random() < 0.3 else ""),
                "payment_terms": rng.choice(_data()["payment"][lang]) if relationship != "future" else "",
                "rules_of_engagement": rules,
                "profile_notes": profile,
                "next_step": next_step,
                "next_step_date": next_date,
                "created_at": created,
                "updated_at": max(created, last_visit["planned_at"]) if last_visit else created,
                "archived_at": None,
            }
        )

    # -- the buying organisation ---------------------------------------------------------------

    def person_name(self, lang: str, used: set[str]) -> tuple[str, str]:
        """(display name, ASCII e-mail local part), unique within the account."""
        while True:
            if lang == "cn":
                (s, sp), (g, gp) = self.rng.choice(_data()["surnames"]), self.rng.choice(_data()["given"])
                name, local = s + g, f"{gp}.{sp}"
            else:
                first, last = self.rng.choice(_data()["first"]), self.rng.choice(_data()["last"])
                name, local = f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"
            if (
                name not in used
                and name
                not in _data()["reps_cn"]
                + _data()["reps_en"]
                + _data()["staff_cn"]
                + _data()["staff_en"]
                + _data()["executives"]
                and local not in used
            ):
                used.update((name, local))
                return name, local

    def phone(self, lang: str, prefix: str) -> str:
        r = self.rng
        if lang == "cn":
            if r.random() < 0.7:
                return f"1{r.choice('3589')}{r.randint(0, 9)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}"
            return f"{prefix}-{r.randint(5000, 8999)} {r.randint(1000, 9999)}"
        return f"{prefix} {r.randint(100, 999)} {r.randint(1000, 9999)}"

    def org(
        self, account_id: int, lang: str, domain: str, phone: str, region: str, owner: str, *, contacted: bool
    ) -> list[_Row]:
        rng = self.rng
        n = rng.randint(4, 12)
        used: set[str] = set()
        # (level, department key, parent index)
        shape: list[tuple[int, str, int | None]] = [(1, "mgmt", None)]
        k2 = max(1, min(rng.randint(2, 4), n - 2))
        for dept in rng.sample(sorted(_data()["depts"]), k2):
            shape.append((2, dept, 0))
        if n >= 8 and rng.random() < 0.5:
            shape.append((2, "assistant", 0))
        level3: list[int] = []
        level2 = [i for i, s in enumerate(shape) if s[0] == 2 and s[1] != "assistant"]
        while len(shape) < n:
            if not level3 or rng.random() < 0.55:
                parent = rng.choice(level2)
                shape.append((3, shape[parent][1], parent))
                level3.append(len(shape) - 1)
            else:
                parent = rng.choice(level3)
                shape.append((4, shape[parent][1], parent))

        staff = _data()["reps_cn"] + _data()["staff_cn"] if lang == "cn" else _data()["reps_en"] + _data()["staff_en"]
        coach_candidates = [i for i, s in enumerate(shape) if s[0] in (2, 3) and s[1] != "assistant"]
        coach = rng.choice(coach_candidates) if contacted and coach_candidates and rng.random() < 0.85 else None
        rows: list[_Row] = []
        for i, (level, dept, boss) in enumerate(shape):
            name, local = self.person_name(lang, used)
            if dept == "mgmt":
                dept_name, title = _data()["top"][lang][0], rng.choice(_data()["top"][lang][1])
                role, influence, pain_key = "decision-maker", 1, "mgmt"
                person_owner = rng.choice(_data()["executives"]) if contacted and rng.random() < 0.7 else ""
            elif dept == "assistant":
                dept_name, title = _data()["top"][lang][0], _data()["assistant"][lang]
                role, influence, pain_key = "gatekeeper", 4, "mgmt"
                person_owner = owner if rng.random() < 0.5 else ""
            else:
                info = _data()["depts"][dept][lang]
                dept_name, title = info[0], rng.choice(info[level - 1])
                role = _data()["role"][dept] if level < 4 or rng.random() < 0.6 else ""
                influence = {2: rng.randint(1, 2), 3: rng.randint(2, 3), 4: rng.randint(3, 5)}[level]
                pain_key = dept
                if dept == "purchasing":
                    person_owner = owner
                elif rng.random() < 0.6:
                    person_owner = rng.choice(staff)
                else:
                    person_owner = ""
            if not contacted:
                attitude = rng.choice(("", "", "neutral"))
                coverage = rng.choice(("unknown", "unknown", "none"))
                person_owner = person_owner if dept == "purchasing" else ""
            elif i == coach:
                attitude = rng.choice(("mentor", "supporter"))
                coverage = rng.choice(("multiple", "in-depth"))
            else:
                attitude = rng.choices(_ATTITUDES, (5, 25, 40, 20, 10))[0]
                coverage = rng.choices(_COVERAGE, (15, 15, 30, 30, 10))[0]
            rows.append(
                {
                    "id": self.new_id(Person),
                    "account": account_id,
                    "reports_to": rows[boss]["id"] if boss is not None else None,
                    "name": name,
                    "title": title,
                    "department": dept_name,
                    "influence": influence,
                    "is_coach": i == coach,
                    "attitude": attitude,
                    "coverage": coverage,
                    "buying_role": role,
                    "owner": person_owner,
                    "phone": self.phone(lang, phone),
                    "fax": f"{phone}-{rng.randint(5000, 8999)} {rng.randint(1000, 9999)}"
                    if lang == "cn" and rng.random() < 0.2
                    else "",
                    "email": f"{local}@{domain}" if rng.random() < 0.9 else "",
                    "interests": rng.choice(_data()["interests"][lang]) if contacted and rng.random() < 0.7 else "",
                    "pains": rng.choice(_data()["pains"][pain_key][lang]) if contacted and rng.random() < 0.8 else "",
                    "good_supplier": rng.choice(_data()["good_supplier"][lang])
                    if contacted and rng.random() < 0.6
                    else "",
                    "responsibility": _data()["responsibility"][dept][lang]
                    if dept in _data()["responsibility"]
                    else "",
                    "notes": "",
                    "last_contacted": None,
                    "created_at": None,  # set once the account's age is known
                    "updated_at": None,
                }
            )
        self.people.extend(rows)
        return rows

    # -- deals ------------------------------------------------------------------------------------

    def deals_for(
        self, account_id: int, lang: str, relationship: str, code: str, tier: str, big: bool, created_ago: int
    ) -> list[_Row]:
        rng, today = self.rng, self.today
        if relationship == "future":
            return []
        titles = rng.sample(_data()["deal_titles"][lang], 3)
        low, high = (1e6, 2e7) if big else (5e4, 1.5e6)
        rows: list[_Row] = []
        # The first deal is always open; its stage cycles so every stage appears often.
        if relationship == "customer":
            stage = (6, 5, 4, 3, 2, 1)[self.stage_cycle["E"] % 6]
            self.stage_cycle["E"] += 1
        else:
            cycle = (1, 2, 3, 4, 5) if code in ("PI", "PII") else (1, 2, 3)
            stage = cycle[self.stage_cycle["P"] % len(cycle)]
            self.stage_cycle["P"] += 1
        statuses = ["open"]
        extra = rng.randint(0, 2)
        for _ in range(extra):
            if relationship == "customer":
                statuses.append(rng.choice(("won", "won", "won", "lost", "open")))
            elif tier != "new5" and code != "P":
                statuses.append(rng.choice(("open", "lost")))
        for n, status in enumerate(statuses):
            if n:
                stage = rng.randint(1, 6) if relationship == "customer" else rng.randint(1, 3)
            created = self.at(rng.randint(10, max(11, created_ago)), 11)
            closed_at, reason, expected = None, "", None
            if status == "open":
                delta = rng.randint(20, 300) if rng.random() < 0.85 else -rng.randint(5, 40)  # a few slipped
                expected = today + dt.timedelta(days=delta)
            else:
                closed_ago = rng.randint(20, 700)
                closed_at = self.at(closed_ago, 16)
                created = min(created, closed_at - dt.timedelta(days=rng.randint(60, 240)))
                expected = closed_at.date()
                if status == "won":
                    stage, reason = rng.choice((5, 6)), rng.choice(_data()["won"][lang])
                else:
                    stage, reason = rng.randint(2, 5), rng.choice(_data()["lost"][lang])
            rows.append(
                {
                    "id": self.new_id(Deal),
                    "account": account_id,
                    "title": titles[n].format(year=today.year + 1),
                    "value": self.money(low, high),
                    "expected_close": expected,
                    "stage": stage,
                    "status": status,
                    "close_reason": reason,
                    "closed_at": closed_at,
                    "created_at": created,
                    "updated_at": closed_at or self.at(rng.randint(0, 30), 17),
                }
            )
        self.deals.extend(rows)
        return [d for d in rows if d["status"] == "open"]

    # -- visits ------------------------------------------------------------------------------------

    def visits_for(
        self,
        account_id: int,
        lang: str,
        people: list[_Row],
        open_deals: list[_Row],
        last_ago: int | None,
        code: str,
        created_ago: int,
    ) -> _Row | None:
        rng = self.rng
        created = self.at(created_ago, 10)
        for p in people:
            p["created_at"] = p["updated_at"] = created + dt.timedelta(days=rng.randint(0, 20))
        if last_ago is None:
            return None
        if last_ago < 30:
            count = rng.randint(3, 8)
        elif last_ago < 300:
            count = rng.randint(2, 6)
        else:
            count = rng.randint(1, 3)
        # Spread the visits back from the latest one over (at most) two years.
        span = max(0, min(728, created_ago) - last_ago)
        days = sorted({last_ago} | {last_ago + rng.randint(1, span) for _ in range(count - 1)} if span else {last_ago})
        coach = [p for p in people if p["is_coach"]]
        latest: _Row | None = None
        for days_ago in reversed(days):  # oldest first
            # Service texts are about deliveries and machines: customers only.
            purposes = rng.sample(_PURPOSES if code[0] == "E" else _PURPOSES_PROSPECT, rng.choice((1, 1, 2)))
            if open_deals and "progress" not in purposes and rng.random() < 0.4:
                purposes[0] = "progress"
            main = purposes[0]
            deal = rng.choice(open_deals) if open_deals and main == "progress" else None
            attendees = rng.sample(people, min(len(people), rng.choice((1, 1, 2, 3))))
            if coach and coach[0] not in attendees and rng.random() < 0.5:
                attendees.append(coach[0])
            texts = _progress_text(lang, deal["stage"]) if deal else rng.choice(_data()["visit_text"][main][lang])
            objective, outcome, debrief, next_step = (t.format(p=attendees[0]["name"]) for t in texts)
            when = self.at(days_ago)
            visit = {
                "id": self.new_id(Visit),
                "account": account_id,
                "deal": deal["id"] if deal else None,
                "planned_at": when,
                "kind": rng.choices(_KINDS, _KIND_WEIGHTS)[0],
                "status": "done",
                "purposes": ",".join(p for p in _PURPOSES if p in purposes),
                "objective": objective,
                "outcome": outcome,
                "debrief": debrief,
                "next_step": next_step,
                "next_step_date": when.date() + dt.timedelta(days=rng.randint(7, 30)) if days_ago == last_ago else None,
                "created_at": when - dt.timedelta(days=rng.randint(1, 7)),
                "updated_at": when + dt.timedelta(hours=2),
            }
            self.visits.append(visit)
            for person in attendees:
                self.attendees.append({"visit": visit["id"], "person": person["id"]})
                person["last_contacted"] = when.date()  # oldest first, so the latest wins
                person["updated_at"] = max(person["updated_at"], when)
            latest = visit
        return latest

    def planned(self) -> None:
        """A few visits in the coming days, at accounts that matter."""
        rng, today = self.rng, self.today
        candidates = [a for a in self.accounts if a["tier"] in ("top5", "new5")]
        for account in rng.sample(candidates, min(len(candidates), rng.randint(2, 4))):
            lang = "cn" if re.search(r"[\u4e00-\u9fff]", account["name"]) else "en"
            people = [p for p in self.people if p["account"] == account["id"]]
            deals = sorted(
                (d for d in self.deals if d["account"] == account["id"] and d["status"] == "open"),
                key=lambda d: -d["stage"],
            )
            purpose = "progress" if deals else "information"
            attendees = rng.sample(people, min(2, len(people)))
            texts = (
                _progress_text(lang, deals[0]["stage"]) if deals else rng.choice(_data()["visit_text"][purpose][lang])
            )
            objective = texts[0].format(p=attendees[0]["name"])
            day = today + dt.timedelta(days=rng.randint(0, 5))
            visit_id = self.new_id(Visit)
            self.visits.append(
                {
                    "id": visit_id,
                    "account": account["id"],
                    "deal": deals[0]["id"] if deals else None,
                    "planned_at": dt.datetime(day.year, day.month, day.day, rng.choice((9, 10, 14, 15)), 30),
                    "kind": rng.choice(("visit", "meeting", "call")),
                    "status": "planned",
                    "purposes": purpose,
                    "objective": objective,
                    "outcome": "",
                    "debrief": "",
                    "next_step": "",
                    "next_step_date": None,
                    "created_at": self.at(rng.randint(1, 5), 9),
                    "updated_at": self.at(0, 9),
                }
            )
            for person in attendees:
                self.attendees.append({"visit": visit_id, "person": person["id"]})

    def write(self) -> None:
        for rows, model in (
            (self.accounts, Account),
            (self.people, Person),
            (self.deals, Deal),
            (self.visits, Visit),
            (self.attendees, VisitAttendee),
        ):
            _chunks(rows, model)


def _milestones(process_for: Callable[[str], Process], today: dt.date, rng: random.Random) -> None:
    """Milestone lists for the demo deals, worked through as far as each deal has come:
    earlier stages reached, part of the current one reached on the latest visit, and the
    next open ones on the checklist of any planned visit. `process_for(account name)` is
    the process whose questions a deal of that account gets."""
    names = dict(database.execute_sql("SELECT id, name FROM account").fetchall())
    for deal in Deal.select().where(Deal.status != "lost"):
        through = deal.stage + 1 if deal.status == "won" else deal.stage
        apply_template(
            deal.id,
            process_for(names[deal.account_id]),
            reached_before_stage=through,
            reached_on=today - dt.timedelta(days=rng.randint(40, 200)),
        )
        if deal.status != "open":
            continue
        last = (
            Visit.select()
            .where((Visit.account == deal.account_id) & (Visit.status == "done"))
            .order_by(Visit.planned_at.desc())
            .first()
        )
        current = list(
            Milestone.select()
            .where((Milestone.deal == deal.id) & (Milestone.stage == deal.stage))
            .order_by(Milestone.position)
        )
        if last is None or len(current) < 2:
            continue
        if last.deal_id is None:
            last.deal = deal.id
            last.save()
        for position, m in enumerate(current[: rng.randint(0, len(current) - 1)]):
            Milestone.update(status="reached", reached_visit=last.id, reached_on=last.planned_at.date()).where(
                Milestone.id == m.id
            ).execute()
            VisitItem.create(visit=last.id, milestone=m.id, position=position, result="reached")
    for visit in Visit.select().where((Visit.status == "planned") & Visit.deal.is_null(False)):
        for position, m in enumerate(
            Milestone.select()
            .where((Milestone.deal == visit.deal_id) & (Milestone.status == "open"))
            .order_by(Milestone.stage, Milestone.position)
            .limit(rng.randint(2, 3))
        ):
            VisitItem.create(visit=visit.id, milestone=m.id, position=position)


# After signing: won deals moved to a recent win so that every implementation phase shows
# (account, won this many days before today, the phase the rep set and how many days ago).
# With the default after_signing days, wins of 27, 113 and 138 days ago in the generated
# book are in learning and effectiveness by the clock already; these add the rest.
_IMPLEMENTATIONS: tuple[tuple[str, int, tuple[str, int] | None], ...] = (
    ("长沙湘江工程机械有限公司", 5, None),  # "new toy"
    ("Contoso Precision Ltd", 10, None),  # "new toy"
    ("武汉长江光电有限公司", 40, None),  # learning, by the clock
    ("Adventure Works Cycles", 60, ("effectiveness", 10)),  # results early: set by the rep
)


def _implementations(today: dt.date) -> None:
    """Every won deal starts at "new toy" on its won date (as closing one does); the deals
    of `_IMPLEMENTATIONS` are won recently. Two statements and a few rows: no cost."""
    database.execute_sql("UPDATE deal SET phase = 'new_toy', phase_on = date(closed_at) WHERE status = 'won'")
    names = {name: account_id for account_id, name in database.execute_sql("SELECT id, name FROM account")}
    for name, won_ago, by_rep in _IMPLEMENTATIONS:
        if name not in names:
            continue
        deal = Deal.select().where((Deal.account == names[name]) & (Deal.status == "won")).order_by(Deal.id).first()
        if deal is None:
            continue
        won = today - dt.timedelta(days=won_ago)
        phase, since = ("new_toy", won) if by_rep is None else (by_rep[0], today - dt.timedelta(days=by_rep[1]))
        closed = dt.datetime(won.year, won.month, won.day, 16, 0)
        Deal.update(closed_at=closed, updated_at=closed, expected_close=won, phase=phase, phase_on=since).where(
            Deal.id == deal.id
        ).execute()


def _deal_contacts(rng: random.Random) -> None:
    """Who takes part in each open demo deal: most have the person who decides, a second
    and third thread and the account's coach; about one in five hangs on one person, so the
    demo shows deals at risk beside healthy ones. Each deal reached its stage on the day it
    was last changed."""
    database.execute_sql("UPDATE deal SET stage_on = date(updated_at) WHERE status = 'open' AND stage_on IS NULL")
    people_of: dict[int, list[tuple[int, int | None, bool, str]]] = {}
    for pid, account_id, influence, is_coach, role in database.execute_sql(
        "SELECT id, account_id, influence, is_coach, buying_role FROM person ORDER BY id"
    ):
        people_of.setdefault(account_id, []).append((pid, influence, bool(is_coach), role))
    rows: list[dict[str, object]] = []
    for deal_id, account_id in database.execute_sql(
        "SELECT id, account_id FROM deal WHERE status = 'open' ORDER BY id"
    ):
        staff = people_of.get(account_id, [])
        if not staff:
            continue
        top = sorted(staff, key=lambda p: (p[1] or 9, p[0]))
        chosen = [top[0]] if rng.random() < 0.2 else top[: rng.randint(2, 4)]
        coach = next((p for p in staff if p[2]), None)
        if coach is not None and coach not in chosen and len(chosen) > 1 and rng.random() < 0.8:
            chosen.append(coach)
        for n, (pid, influence, is_coach, role) in enumerate(chosen):
            roles = suggested_roles(role, is_coach) or (
                ("decision-maker",) if n == 0 and (influence or 9) <= 2 else ("influencer",)
            )
            rows.append({"deal": deal_id, "person": pid, "roles": ",".join(roles), "is_primary": n == 0})
    _chunks(rows, DealContact)


def build_demo(today: dt.date | None = None, seed: int = 7, process: Process | None = None) -> None:
    """Fill the open database with demo accounts, people, deals and visits.

    Meant for an empty database; accounts whose name is already taken are skipped. Deals
    get the milestones of `process` when given; by default those of the built-in process in
    their account's language, as the rest of its demo data: an English account's customer
    asks English questions, a Chinese one's Chinese, whatever the interface language.
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    with database.atomic():
        taken = {
            r[0].casefold()
            for r in database.execute_sql("SELECT name FROM account WHERE archived_at IS NULL").fetchall()
        }
        builder = _Builder(today, rng)
        for spec in _data()["accounts"]:
            if spec[0].casefold() not in taken:
                builder.account(spec)
        if builder.accounts:
            builder.planned()
        builder.write()
        _milestones(_process_chooser(process), today, rng)
        _implementations(today)
        _deal_contacts(random.Random(seed + 23))
        refresh_missing_warning_counts()
        _orders([a for a in builder.accounts if a["relationship"] == "customer"], today, random.Random(seed + 16))
        derived.refresh(today, ClassRules())  # the demo opens with its classes worked out
        # Its own random stream: the plans never shift what the rest of the demo draws.
        _plans(today, random.Random(seed * 7919 + 5), [a["id"] for a in builder.accounts])


# Days between orders (first, spread) and yuan per line (low, high), per demo class: what
# makes EI come out "big and every month", EII "big, now and then" under the default rules.
_BUYING = {
    "EI": ((3, 12), 30, 9, (60_000, 200_000)),
    "EII": ((20, 60), 95, 40, (250_000, 700_000)),
    "EIII": ((3, 15), 32, 8, (3_000, 12_000)),
    "EIV": ((30, 90), 150, 60, (2_000, 9_000)),
}


def _orders(customers: list[_Row], today: dt.date, rng: random.Random) -> None:
    """Two years of order lines for the demo's customers, relative to `today`, written in
    one batch (`orders.upsert_lines`). Order numbers carry the account id, so a demo added
    to a book never replaces another order."""
    story = _data()["order_story"]
    lines: list[orders.LineValues] = []
    horizon = today - dt.timedelta(days=730)
    for account in customers:
        name = account["name"]
        if name in story["never_bought"]:
            continue
        code = story["pinned"].get(name) or _class_code(account)
        (first_low, first_high), every, spread, (low, high) = _BUYING[code]
        ago = rng.randint(first_low, first_high)
        if name in story["lapsed"]:
            ago += 200 + rng.randint(0, 160)
        elif name in story["run_out"]:
            ago += 60
        lang = "cn" if _CHINESE.search(name) else "en"
        products = _data()["products"][lang]
        number = 0
        day = today - dt.timedelta(days=ago)
        while day > horizon:
            number += 1
            for line_no, (product, category) in enumerate(rng.sample(products, rng.randint(1, 3)), start=1):
                yuan = round(low * (high / low) ** rng.random(), -2)
                lines.append(
                    orders.LineValues(
                        account_id=account["id"],
                        ordered_on=day,
                        product=product,
                        category=category,
                        quantity=float(rng.randint(1, 40)),
                        amount=int(yuan) * 100,
                        currency="CNY",
                        order_no=f"DEMO-{account['id']}-{number:03d}",
                        line_no=str(line_no),
                        rep=account["owner"],
                        source="demo",
                    )
                )
            day -= dt.timedelta(days=max(7, every + rng.randint(-spread, spread)))
    orders.upsert_lines(lines)
    pinned = [a["id"] for a in customers if a["name"] in story["pinned"]]
    if pinned:
        Account.update(class_source="hand").where(Account.id.in_(pinned)).execute()


def _class_code(account: _Row) -> str:
    return {("high", "high"): "EI", ("high", "low"): "EII", ("low", "high"): "EIII"}.get(
        (account["contribution"], account["stability"]), "EIV"
    )


def _process_chooser(process: Process | None) -> Callable[[str], Process]:
    """`process` for every account, or the built-in one in the account's language."""
    if process is not None:
        return lambda _name: process
    english, chinese = _builtin_process("en"), _builtin_process("zh_CN")
    return lambda name: chinese if _CHINESE.search(name) else english


@functools.lru_cache(maxsize=2)
def _builtin_process(language: str) -> Process:
    """A shipped process file, parsed once per run: it does not change while saletui runs."""
    from saletui.process.load import builtin_path, load_process

    return load_process(builtin_path(language))


# Objective ranges per tier (yuan) for an account without sales in the last 12 months.
_PLAN_RANGES = {"top5": (8_000_000, 20_000_000), "middle5": (2_000_000, 6_000_000), "new5": (500_000, 2_000_000)}
_WAN = 10_000 * 100  # 10,000 yuan in fen: the demo's plans are in round 万


def _plans(today: dt.date, rng: random.Random, account_ids: list[int]) -> None:
    """A one-year plan for each tiered demo account: the objective from its last 12
    months' sales (when it has any) grown by 10-40%, else a range per tier; months even or
    seasonal; 3-6 actions over the year (done, dropped or still open before today, open
    after it, a few due within the week) and an objective for one or two key people."""
    if not account_ids:
        return
    data, year = _data(), today.year
    since = (today.year - 1) * 100 + today.month
    marks = ", ".join("?" * len(account_ids))
    tiered = database.execute_sql(
        f"SELECT id, name, tier, owner FROM account WHERE id IN ({marks}) AND tier <> '' ORDER BY id", account_ids
    ).fetchall()
    plan_rows: list[_Row] = []
    month_rows: list[_Row] = []
    action_rows: list[_Row] = []
    contact_rows: list[_Row] = []
    plan_id, action_id, contact_id = _next_id(AccountPlan), _next_id(PlanAction), _next_id(PlanContact)
    month_id = _next_id(PlanMonth)
    created = dt.datetime(year, 1, 8, 9, 0)
    for account_id, name, tier, owner in tiered:
        lang = "cn" if _CHINESE.search(name) else "en"
        sold = database.execute_sql(
            "SELECT COALESCE(SUM(amount), 0) FROM sales_month WHERE account_id = ? AND currency = 'CNY' AND month > ?",
            (account_id, since),
        ).fetchone()[0]
        # In multiples of 12万, so that an even split is whole 万 a month.
        if sold:
            objective = max(1, int(sold * rng.uniform(1.1, 1.4)) // (12 * _WAN)) * 12 * _WAN
        else:
            low, high = _PLAN_RANGES[tier]
            objective = rng.randint(low // 120_000, high // 120_000) * 12 * _WAN
        plan_rows.append(
            {
                "id": plan_id,
                "account": account_id,
                "year": year,
                "currency": "CNY",
                "objective": objective,
                "goal": rng.choice(data["plan_goals"][tier][lang]),
                "created_at": created,
                "updated_at": created,
            }
        )
        for m, expected in enumerate(_demo_split(objective, rng), start=1):
            month_rows.append({"id": month_id, "plan": plan_id, "month": m, "expected": expected})
            month_id += 1
        texts = rng.sample(data["plan_actions"][lang], rng.randint(3, 6))
        for n, what in enumerate(texts):
            month = 1 + n * 12 // len(texts) + rng.randint(0, max(0, 12 // len(texts) - 1))
            due = dt.date(year, min(month, 12), rng.randint(1, 28))
            if due < today:
                status = rng.choices(("done", "dropped", "open"), (8, 1, 1))[0]
            else:
                status = "open"
            action_rows.append(
                {
                    "id": action_id,
                    "plan": plan_id,
                    "what": what,
                    "owner": owner,
                    "due_on": due,
                    "status": status,
                    "note": "",
                    "created_at": created,
                    "updated_at": created,
                }
            )
            action_id += 1
        if tier != "middle5" and rng.random() < 0.3:  # something for this week at a few accounts
            due = min(today + dt.timedelta(days=rng.randint(1, 5)), dt.date(year, 12, 31))
            action_rows.append(
                {
                    "id": action_id,
                    "plan": plan_id,
                    "what": rng.choice([t for t in data["plan_actions"][lang] if t not in texts]),
                    "owner": owner,
                    "due_on": due,
                    "status": "open",
                    "note": "",
                    "created_at": created,
                    "updated_at": created,
                }
            )
            action_id += 1
        key_people = database.execute_sql(
            "SELECT id FROM person WHERE account_id = ? AND influence IN (1, 2) ORDER BY influence, id LIMIT 2",
            (account_id,),
        ).fetchall()
        for (person_id,), objective_text in zip(
            key_people, rng.sample(data["plan_contact_objectives"][lang], len(key_people)), strict=True
        ):
            contact_rows.append(
                {
                    "id": contact_id,
                    "plan": plan_id,
                    "person": person_id,
                    "objective": objective_text,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            contact_id += 1
        plan_id += 1
    for rows, model in (
        (plan_rows, AccountPlan),
        (month_rows, PlanMonth),
        (action_rows, PlanAction),
        (contact_rows, PlanContact),
    ):
        _chunks(rows, model)


def _demo_split(objective: int, rng: random.Random) -> list[int]:
    """Even months for some plans, a seasonal shape (a slow start, a strong fourth quarter)
    for others; in whole 万 when the objective is, and always adding up to the year."""
    from saletui.method.plan import even_split

    if rng.random() < 0.5:
        return even_split(objective, "CNY")
    weights = [0.7, 0.7, 0.9, 1.0, 1.0, 1.0, 0.9, 0.9, 1.1, 1.2, 1.3, 1.3]
    unit = _WAN if objective % _WAN == 0 else 1
    units = objective // unit
    months = [int(units * w / sum(weights)) * unit for w in weights]
    months[-1] += objective - sum(months)
    return months

"""Build a large, realistic saletui database for performance work.

    python tests/perf/generate.py PATH [--seed N] [--force]

10,000 accounts (Chinese and English names, every class, tier, stage and about thirty
owners), 100,000 people in org charts (five accounts with 340-500 people six levels
deep), 2,000 deals, 50,000 visits over three years with 1-3 attendees each.

Everything goes through the project's own store layer: `open_database` creates the
schema with the real migrations, then the rows are bulk-inserted with `insert_many` on
the peewee models, in chunks, inside one `database.atomic()`, with explicit ids (like
`saletui.store.demo`). The data derives from one seeded `random.Random` and a fixed
reference day, so the same seed gives the same database.

`build(path, seed=1)` is imported by bench.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

# Bump when the generated data changes: bench.py keys its cached database on it.
GENERATOR_VERSION = 1

# A fixed "today" keeps the data deterministic; visits lie in the three years before it.
REFERENCE_DAY = dt.date(2026, 11, 25)

N_ACCOUNTS = 10_000
N_PEOPLE = 100_000
N_DEALS = 2_000
N_VISITS = 50_000
BIG_ORGS = (500, 460, 420, 380, 340)  # people in the few very large accounts (six levels)
HISTORY_DAYS = 3 * 365

# --- vocabulary ------------------------------------------------------------------------

REPS_CN = ("李娜", "张伟", "王磊", "刘洋", "赵敏", "陈静", "杨帆", "黄晓明", "周婷", "吴俊",
           "徐丽", "孙浩", "胡军", "朱琳", "高远", "林峰", "何婧", "郭涛")
REPS_EN = ("Sarah Chen", "Tom Becker", "Mark Weber", "Anna Lindqvist", "Julia Hoffmann", "David Okafor",
           "Emma Rossi", "Lucas Martin", "Priya Nair", "Oliver Grant", "Sofia Alvarez", "Kenji Mori")

CN_CITIES = {
    "华东": ("上海", "苏州", "杭州", "宁波", "南京", "无锡", "常州", "合肥", "济南", "青岛", "温州", "嘉兴"),
    "华南": ("深圳", "广州", "东莞", "佛山", "厦门", "珠海", "中山", "福州"),
    "华北": ("北京", "天津", "石家庄", "太原", "唐山", "保定"),
    "华中": ("武汉", "长沙", "郑州", "南昌", "洛阳", "襄阳"),
    "西南": ("成都", "重庆", "昆明", "贵阳", "绵阳"),
    "西北": ("西安", "兰州", "银川", "乌鲁木齐"),
    "东北": ("沈阳", "大连", "长春", "哈尔滨"),
}
CN_CORES = ("恒瑞", "海川", "天府", "金陵", "长江", "东方", "华信", "远大", "正泰", "鼎盛", "博远", "新天",
            "中联", "瑞丰", "宏达", "永兴", "嘉诚", "汇通", "振华", "明阳", "安泰", "德创", "华瑞", "凯盛",
            "利民", "龙腾", "鑫源", "润达", "同创", "亿丰", "卓越", "众合", "腾飞", "恒通", "盛世", "华光",
            "宇航", "精工", "信达", "国泰", "中天", "星辰", "蓝海", "万向", "鸿基", "合力", "天成", "兴业",
            "宝利", "华宇", "隆基", "和顺", "聚能", "世纪", "东海", "北辰", "南方", "西部", "中科", "先锋")
CN_INDUSTRIES = (  # (industry shown in the list, word in the company name)
    ("机械制造", "精密机械"), ("电子制造", "电子科技"), ("信息技术", "信息技术"), ("汽车零部件", "汽车零部件"),
    ("食品饮料", "食品"), ("新能源", "新能源"), ("光电", "光电"), ("化工", "化工"), ("模具", "模具"),
    ("物流", "物流"), ("医疗器械", "医疗器械"), ("航空航天", "航空部件"), ("塑胶制品", "塑胶制品"),
    ("半导体", "半导体"), ("重型机械", "重工机械"), ("纺织", "纺织"), ("智能装备", "智能装备"),
    ("工程机械", "工程机械"), ("家电", "电器"), ("粮油加工", "粮油"), ("船舶配套", "船舶配套"), ("制药", "制药"),
    ("检测服务", "检测技术"), ("电气设备", "电气"), ("包装", "包装材料"), ("钢铁", "特钢"), ("建材", "建材"),
)
CN_SUFFIXES = ("有限公司", "股份有限公司", "集团", "有限责任公司", "集团股份有限公司")

EN_REGIONS = {
    "EMEA": ("GmbH", "Ltd", "AG", "BV", "S.A.", "Oy", "plc", "SE", "AB", "S.p.A."),
    "North America": ("Inc.", "Corp.", "LLC", "Co.", "Ltd"),
    "APAC": ("Pte Ltd", "Pty Ltd", "K.K.", "Co., Ltd.", "Sdn Bhd"),
    "Shanghai": ("(Shanghai) Co., Ltd.",),
    "Suzhou": ("(Suzhou) Co., Ltd.",),
}
EN_PREFIXES = ("Northwind", "Contoso", "Fabrikam", "Adventure", "Tailspin", "Litware", "Bluewater", "Alpine",
               "Kestrel", "Redwood", "Harbor Point", "Meridian", "Ironbridge", "Sunrise", "Granite", "Polaris",
               "Vantage", "Oakridge", "Summit", "Copperleaf", "Nordlicht", "Pacific Rim", "Westbrook", "Atlas",
               "Blue Ridge", "Silverline", "Evergreen", "Falcon", "Horizon", "Keystone", "Lakeside", "Maple",
               "Northstar", "Orion", "Pinnacle", "Quantum", "Riverbend", "Sterling", "Trident", "Union",
               "Vertex", "Wildrose", "Yellowstone", "Zenith", "Beacon", "Cascade", "Driftwood", "Ember",
               "Foxglove", "Greystone", "Highland", "Juniper", "Kingfisher", "Lighthouse", "Monarch", "Nimbus")
EN_INDUSTRIES = (
    ("Logistics", "Logistics"), ("Precision machining", "Precision"), ("Industrial automation", "Automation"),
    ("Bicycles", "Cycles"), ("Aerospace", "Aerospace"), ("Semiconductors", "Semiconductor"),
    ("Marine equipment", "Marine"), ("Food & dairy", "Dairy"), ("Medical devices", "Medical"),
    ("Packaging", "Packaging"), ("Chemicals", "Chemicals"), ("Automotive", "Auto Parts"), ("Rail", "Rail"),
    ("Solar", "Solar"), ("Mining", "Mining Equipment"), ("Cold-chain logistics", "Cold Chain"),
    ("Robotics", "Robotics"), ("Pharmaceuticals", "Pharma"), ("Textiles", "Textiles"),
    ("Electrical equipment", "Electric"), ("Wind energy", "Windkraft"), ("Electronics", "Electronics"),
    ("Food processing", "Foods"), ("Cranes & lifting", "Heavy Lift"), ("Steel", "Steel"),
)
EN_MIDDLES = ("", "", "", "Industries", "Systems", "Group", "Technologies", "Solutions", "Works", "International")
# A few names that are hard to draw: markup, emoji, very long, control-free but odd.
ODD_NAMES = ("[bold]Markup & Sons[/]", "Café Nova ☕", "Ünïcødé Präzisionstechnik GmbH",
             "Very Long Name Holdings International Limited Liability Partnership of the Greater Pearl River Delta",
             "东莞市长安镇超长名称精密五金塑胶电子科技实业发展有限公司第二分公司")

SURNAMES_CN = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
               "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "邓", "曹", "彭", "曾", "萧",
               "田", "董", "潘", "袁", "蔡", "蒋", "余", "于")
GIVEN_CN = ("建国", "志强", "秀英", "海燕", "明", "静", "磊", "伟", "芳", "军", "洋", "勇", "艳", "杰", "涛",
            "超", "俊峰", "晓东", "丽华", "国强", "文博", "思远", "雪梅", "宏伟", "春生", "佳怡", "立新", "慧敏",
            "永刚", "鹏", "婷", "凯", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "一鸣", "晨曦", "嘉豪")
PINYIN = {  # e-mail local parts
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "赵": "zhao",
    "黄": "huang", "周": "zhou", "吴": "wu", "徐": "xu", "孙": "sun", "胡": "hu", "朱": "zhu", "高": "gao",
    "林": "lin", "何": "he", "郭": "guo", "马": "ma", "罗": "luo", "梁": "liang", "宋": "song", "郑": "zheng",
    "谢": "xie", "韩": "han", "唐": "tang", "冯": "feng", "邓": "deng", "曹": "cao", "彭": "peng", "曾": "zeng",
    "萧": "xiao", "田": "tian", "董": "dong", "潘": "pan", "袁": "yuan", "蔡": "cai", "蒋": "jiang", "余": "yu",
    "于": "yu2",
}
FIRST_EN = ("Anna", "Lukas", "Jonas", "Marie", "Felix", "Claire", "Pierre", "Sophie", "James", "Emily",
            "Oliver", "Hannah", "Daniel", "Laura", "Michael", "Priya", "Raj", "Kenji", "Aisha", "Carlos",
            "Elena", "Marco", "Ingrid", "Henrik", "Noah", "Grace", "Liam", "Chloe", "Ethan", "Fatima",
            "Tobias", "Maja", "Samuel", "Isabel", "Victor", "Nora")
LAST_EN = ("Mueller", "Schmidt", "Fischer", "Weber", "Dubois", "Martin", "Smith", "Johnson", "Brown",
           "Taylor", "Wilson", "Clarke", "Nguyen", "Tan", "Lim", "Sato", "Rossi", "Novak", "Larsen",
           "Virtanen", "Patel", "Garcia", "O'Brien", "Walsh", "Kowalski", "Jansen", "Ferreira", "Keller",
           "Berg", "Horvat", "Costa", "Eriksson")

# department key -> (cn name, en name)
DEPTS = {
    "purchasing": ("采购部", "Procurement"), "engineering": ("技术部", "Engineering"),
    "production": ("生产部", "Operations"), "quality": ("质量部", "Quality"), "finance": ("财务部", "Finance"),
    "it": ("信息中心", "IT"), "logistics": ("物流部", "Logistics"), "rnd": ("研发中心", "R&D"),
}
MGMT = ("总经办", "Management")
TOP_TITLES = (("总经理", "董事长", "董事长兼总经理"), ("Managing Director", "CEO", "General Manager"))
LEVEL_TITLES = (  # level 2..6
    (("总监", "副总经理"), ("Director", "VP")),
    (("经理",), ("Manager",)),
    (("主管", "高级工程师"), ("Team Lead", "Senior Engineer")),
    (("工程师", "专员"), ("Engineer", "Specialist")),
    (("助理", "文员"), ("Assistant", "Clerk")),
)
ROLES = {"purchasing": "procurement", "engineering": "technical-evaluator", "production": "user",
         "quality": "technical-evaluator", "finance": "economic-buyer", "it": "technical-evaluator",
         "logistics": "user", "rnd": "technical-evaluator"}
ATTITUDES = ("", "mentor", "supporter", "neutral", "non-supporter", "opponent")
COVERAGE = ("unknown", "none", "brief", "multiple", "in-depth")
INTERESTS = (("羽毛球", "钓鱼", "马拉松", "喝茶", "摄影", "高尔夫", "围棋", "健身"),
             ("Sailing", "Road cycling", "Football", "Wine", "Hiking", "Chess", "Golf", "Jazz"))
PAINS = (("年度降本指标压力大", "供应商交期不稳定", "设备故障率高", "OEE偏低", "现金流紧张", "系统孤岛"),
         ("Must cut spend by 5%", "Unreliable lead times", "Frequent breakdowns", "OEE stuck at 65%",
          "Cash is tight", "Siloed systems"))

VISIT_TEXTS = (
    (("节前拜访，维系关系", "对服务满意，提到扩产计划", "关系稳定", "约技术部交流"),
     ("介绍新一代产品", "对节能数据感兴趣", "价格是下一关", "寄送案例资料"),
     ("确认项目预算和决策流程", "预算已批，总经理拍板", "下一步影响采购标准", "提交技术方案"),
     ("处理交付延迟投诉", "接受补货计划", "要防止再次发生", "每周通报交付状态"),
     ("了解竞争对手动向", "竞争对手报价低10%", "优势在交期和服务", "准备总成本对比表")),
    (("Courtesy visit before the holidays", "Happy with service; expansion next year", "Relationship solid",
      "Meet engineering"),
     ("Present the new generation", "Keen on the energy figures", "Price is the next hurdle", "Send case studies"),
     ("Confirm budget and decision process", "Budget approved; MD signs", "Influence the criteria next",
      "Send the proposal draft"),
     ("Handle a late-delivery complaint", "Accepted the recovery plan", "Must not happen again",
      "Weekly delivery status"),
     ("Learn what the competition does", "Competitor 10% cheaper but slower", "Our edge is lead time",
      "Total-cost comparison")),
)
PURPOSES = ("care", "information", "progress", "service", "intelligence")
KINDS = ("visit", "call", "meeting", "email")
KIND_WEIGHTS = (45, 25, 15, 15)
DEAL_TITLES = (("MES系统升级", "仓储自动化项目", "年度备件框架协议", "能源管理系统", "设备预测性维护试点",
                "焊装线机器人集成", "视觉检测设备采购", "洁净车间改造", "售后服务合同续签"),
               ("MES upgrade", "Warehouse automation retrofit", "Spare parts framework", "Energy monitoring",
                "Predictive maintenance pilot", "Robotic welding cell", "Vision inspection rollout",
                "Cleanroom expansion", "Service contract renewal"))
REASONS_WON = (("综合成本最优", "交期最短", "老客户续约"), ("Best total cost", "Shortest lead time", "Renewal"))
REASONS_LOST = (("竞争对手报价低15%", "项目预算被砍", "决策人更换"), ("Lost on price", "Budget frozen",
                                                          "New decision maker"))

# class code -> (relationship, axis values, share of accounts, visit weight)
CLASSES = {
    "EI": ("customer", ("high", "high"), 5, 12.0),
    "EII": ("customer", ("high", "low"), 7, 10.0),
    "EIII": ("customer", ("low", "high"), 10, 6.0),
    "EIV": ("customer", ("low", "low"), 13, 2.0),
    "PI": ("prospect", ("high", "high"), 5, 8.0),
    "PII": ("prospect", ("high", "low"), 10, 5.0),
    "PIII": ("prospect", ("low", "high"), 15, 3.0),
    "PIV": ("prospect", ("low", "low"), 12, 1.0),
    "P": ("prospect", (None, None), 8, 0.5),  # not rated yet
    "F": ("future", (None, None), 15, 0.0),
}
TIER_CLASSES = {"top5": ("EI", "EII"), "middle5": ("EII", "EIII", "EI"), "new5": ("PI", "PII")}

ACCOUNT_FIELDS = ("id", "name", "industry", "region", "owner", "relationship", "contribution", "stability",
                  "expected_value", "intent", "tier", "market_capacity", "excluded_capacity",
                  "excluded_channels", "credit_terms", "payment_terms", "rules_of_engagement",
                  "profile_notes", "next_step", "next_step_date", "created_at", "updated_at", "archived_at")
PERSON_FIELDS = ("id", "account", "reports_to", "name", "title", "department", "influence", "is_coach",
                 "attitude", "coverage", "buying_role", "owner", "phone", "fax", "email", "interests", "pains",
                 "good_supplier", "responsibility", "notes", "last_contacted", "created_at", "updated_at")
DEAL_FIELDS = ("id", "account", "title", "value", "expected_close", "stage", "status", "close_reason",
               "closed_at", "created_at", "updated_at")
VISIT_FIELDS = ("id", "account", "deal", "planned_at", "kind", "status", "purposes", "objective", "outcome",
                "debrief", "next_step", "next_step_date", "created_at", "updated_at")
ATTENDEE_FIELDS = ("id", "visit", "person")


class _Gen:
    """Generates the rows as tuples (in the *_FIELDS order) from one seeded Random."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.accounts: list[list] = []
        self.lang: list[int] = []  # per account: 0 Chinese, 1 English
        self.codes: list[str] = []
        self.people_of: list[list[int]] = []  # person ids per account (index = account id - 1)
        self.people: list[list] = []
        self.deals: list[tuple] = []
        self.open_deals: list[list[tuple[int, int]]] = []  # (deal id, stage) per account
        self.visits: list[tuple] = []
        self.attendees: list[tuple] = []

    def at(self, days_ago: int, hour: int | None = None) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(8, 18) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)))

    def money(self, low: float, high: float) -> float:
        value = low * (high / low) ** self.rng.random()
        step = 10 ** max(0, len(str(int(value))) - 2)
        return float(round(value / step) * step)

    # -- accounts ------------------------------------------------------------------------------
    def account_names(self) -> list[tuple[str, int, str, str]]:
        """(name, language, industry, region) for every account, unique ignoring case."""
        rng = self.rng
        seen: set[str] = set()
        out: list[tuple[str, int, str, str]] = []
        for i, name in enumerate(ODD_NAMES):
            lang = 0 if "\u4e00" <= name[0] <= "\u9fff" else 1
            out.append((name, lang, rng.choice(CN_INDUSTRIES if lang == 0 else EN_INDUSTRIES)[0],
                        rng.choice(tuple(CN_CITIES)) if lang == 0 else rng.choice(tuple(EN_REGIONS))))
            seen.add(name.casefold())
        cn_regions = tuple(CN_CITIES)
        cn_weights = (30, 22, 16, 12, 9, 5, 6)
        en_regions = tuple(EN_REGIONS)
        en_weights = (45, 25, 20, 5, 5)
        while len(out) < N_ACCOUNTS:
            if rng.random() < 0.6:
                region = rng.choices(cn_regions, cn_weights)[0]
                industry, word = rng.choice(CN_INDUSTRIES)
                name = rng.choice(CN_CITIES[region]) + rng.choice(CN_CORES) + word + rng.choice(CN_SUFFIXES)
                lang = 0
            else:
                region = rng.choices(en_regions, en_weights)[0]
                industry, word = rng.choice(EN_INDUSTRIES)
                parts = [rng.choice(EN_PREFIXES), word, rng.choice(EN_MIDDLES), rng.choice(EN_REGIONS[region])]
                name = " ".join(p for p in parts if p)
                lang = 1
            key = name.casefold()
            if key in seen:
                continue
            seen.add(key)
            out.append((name, lang, industry, region))
        return out

    def build_accounts(self) -> None:
        rng = self.rng
        codes = list(CLASSES)
        shares = [CLASSES[c][2] for c in codes]
        names = self.account_names()
        owners: list[str] = []
        for name, lang, industry, region in names:
            if rng.random() < 0.02:
                owner = ""  # nobody assigned yet
            elif rng.random() < 0.9:
                owner = rng.choice(REPS_CN if lang == 0 else REPS_EN)
            else:
                owner = rng.choice(REPS_EN if lang == 0 else REPS_CN)
            owners.append(owner)
            self.codes.append(rng.choices(codes, shares)[0])
            self.lang.append(lang)

        # 5+5+5 per rep: a few reps have not filled their list yet.
        tiers = [""] * N_ACCOUNTS
        by_owner: dict[str, list[int]] = {}
        for i, owner in enumerate(owners):
            if owner:
                by_owner.setdefault(owner, []).append(i)
        for owner in sorted(by_owner):
            mine = by_owner[owner]
            for tier, classes in TIER_CLASSES.items():
                wanted = 5 if rng.random() < 0.8 else rng.randint(2, 4)
                pool = [i for i in mine if self.codes[i] in classes and not tiers[i]]
                for i in rng.sample(pool, min(wanted, len(pool))):
                    tiers[i] = tier

        for i, (name, lang, industry, region) in enumerate(names):
            code = self.codes[i]
            relationship, axes, _share, _weight = CLASSES[code]
            customer = relationship == "customer"
            prospect = relationship == "prospect"
            big = axes[0] == "high"
            capacity = excluded = None
            if relationship != "future" or rng.random() < 0.5:
                capacity = self.money(5e6, 6e7) if big else self.money(3e5, 6e6)
                excluded = float(round(capacity * rng.uniform(0.05, 0.4), -3))
            created = self.at(rng.randint(HISTORY_DAYS, HISTORY_DAYS + 2000), 10)
            self.accounts.append([
                i + 1, name, industry, region, owners[i], relationship,
                axes[0] if customer else None, axes[1] if customer else None,
                axes[0] if prospect else None, axes[1] if prospect else None,
                tiers[i], capacity, excluded,
                ("海外工厂由总部统一采购" if lang == 0 else "Spare parts via a catalogue distributor")
                if capacity and rng.random() < 0.5 else "",
                rng.choice(("信用额度300万元", "款到发货", "") if lang == 0 else ("Credit limit EUR 250k", "Prepayment", "")),
                rng.choice(("月结60天", "月结90天", "") if lang == 0 else ("Net 45", "Net 30", "Net 60")),
                ("寄售库存两周用量" if lang == 0 else "Consignment stock: two weeks of usage") if customer else "",
                ("外资控股，重大采购需总部批准。" if lang == 0 else "Family-owned; the founder signs everything above 50k.")
                if rng.random() < 0.6 else "",
                "", None,  # next step: set from the visits
                created, created, None,
            ])
            self.people_of.append([])
            self.open_deals.append([])

    # -- people --------------------------------------------------------------------------------
    def people_sizes(self) -> list[int]:
        rng = self.rng
        sizes = [0] * N_ACCOUNTS
        candidates = [i for i in range(N_ACCOUNTS) if self.codes[i] in ("EI", "EII")]
        big = rng.sample(candidates, len(BIG_ORGS))
        for i, size in zip(big, BIG_ORGS):
            sizes[i] = size
        adjustable = []
        for i in range(N_ACCOUNTS):
            if sizes[i]:
                continue
            if self.codes[i] == "F":
                sizes[i] = rng.randint(0, 3)
            else:
                sizes[i] = min(60, 2 + int(rng.expovariate(1 / 8)))
                adjustable.append(i)
        diff = N_PEOPLE - sum(sizes)
        while diff:
            i = rng.choice(adjustable)
            if diff > 0 and sizes[i] < 80:
                sizes[i] += 1
                diff -= 1
            elif diff < 0 and sizes[i] > 2:
                sizes[i] -= 1
                diff += 1
        return sizes

    def person_name(self, lang: int, used: set[str]) -> tuple[str, str]:
        rng = self.rng
        while True:
            if lang == 0:
                s, g = rng.choice(SURNAMES_CN), rng.choice(GIVEN_CN)
                name, local = s + g, f"{PINYIN[s]}{len(used)}"
            else:
                first, last = rng.choice(FIRST_EN), rng.choice(LAST_EN)
                name = f"{first} {last}"
                local = f"{first}.{last}".lower().replace("'", "")
            if name not in used:
                used.add(name)
                return name, local

    def build_people(self) -> None:
        rng = self.rng
        sizes = self.people_sizes()
        depts = tuple(DEPTS)
        next_id = 1
        for a, n in enumerate(sizes):
            if not n:
                continue
            lang = self.lang[a]
            account = self.accounts[a]
            created = account[20]
            contacted = self.codes[a] not in ("F", "P")
            depth = 6 if n >= 300 else 3 if n <= 5 else 4 if n <= 15 else 5
            domain = f"a{a + 1}.example.{'cn' if lang == 0 else 'com'}"
            # The shape: (level, department, parent index).
            shape: list[tuple[int, str, int | None]] = [(1, "mgmt", None)]
            heads = min(n - 1, rng.randint(2, 4) if n < 50 else len(depts))
            for dept in rng.sample(depts, heads):
                shape.append((2, dept, 0))
            if depth == 6:  # guarantee the full six levels
                parent = 1
                for level in range(3, 7):
                    shape.append((level, shape[parent][1], parent))
                    parent = len(shape) - 1
            eligible = [i for i, s in enumerate(shape) if 2 <= s[0] < depth]
            while len(shape) < n:
                parent = rng.choice(eligible)
                level = shape[parent][0] + 1
                shape.append((level, shape[parent][1], parent))
                if level < depth:
                    eligible.append(len(shape) - 1)
            used: set[str] = set()
            ids = self.people_of[a]
            first_id = next_id
            coach = rng.randrange(1, n) if contacted and n > 1 and rng.random() < 0.8 else None
            for k, (level, dept, parent) in enumerate(shape):
                name, local = self.person_name(lang, used)
                if dept == "mgmt":
                    dept_name, title, role, influence = MGMT[lang], rng.choice(TOP_TITLES[lang]), "decision-maker", 1
                else:
                    dept_name = DEPTS[dept][lang]
                    level_title = rng.choice(LEVEL_TITLES[level - 2][lang])
                    title = dept_name + level_title if lang == 0 else f"{dept_name} {level_title}"
                    role = ROLES[dept] if level <= 4 else ""
                    influence = min(5, level - 1 + rng.randint(0, 1))
                if contacted:
                    attitude = rng.choice(("mentor", "supporter")) if k == coach else rng.choice(ATTITUDES)
                    coverage = rng.choices(COVERAGE, (15, 15, 30, 30, 10))[0]
                else:
                    attitude, coverage = "", "unknown"
                joined = created + dt.timedelta(days=rng.randint(0, 400))
                self.people.append([
                    next_id, a + 1, first_id + parent if parent is not None else None, name, title, dept_name,
                    influence, k == coach, attitude, coverage, role,
                    account[4] if dept == "purchasing" else "",
                    f"1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                    if lang == 0 else f"+49 {rng.randint(30, 899)} {rng.randint(100000, 999999)}",
                    "",
                    f"{local}@{domain}" if rng.random() < 0.9 else "",
                    rng.choice(INTERESTS[lang]) if contacted and rng.random() < 0.4 else "",
                    rng.choice(PAINS[lang]) if contacted and rng.random() < 0.5 else "",
                    "", "", "",
                    None,  # last contacted: from the visits
                    joined, joined,
                ])
                ids.append(next_id)
                next_id += 1

    # -- deals ---------------------------------------------------------------------------------
    def build_deals(self) -> None:
        rng, today = self.rng, self.today
        tiered = [i for i in range(N_ACCOUNTS) if self.accounts[i][10]]
        others = [i for i in range(N_ACCOUNTS) if not self.accounts[i][10] and self.codes[i] != "F"]
        weights = [CLASSES[self.codes[i]][3] + 0.5 for i in others]
        chosen = tiered + rng.choices(others, weights, k=N_DEALS - len(tiered))
        stage_cycle = 0
        for n, a in enumerate(sorted(chosen)):  # sorted: one account's deals are adjacent
            customer = self.codes[a].startswith("E")
            lang = self.lang[a]
            big = CLASSES[self.codes[a]][1][0] == "high"
            status = "open" if not self.open_deals[a] or rng.random() < 0.5 else rng.choice(("won", "won", "lost"))
            if not customer and status == "won":
                status = "lost"
            created = self.at(rng.randint(30, HISTORY_DAYS), 11)
            closed_at, reason = None, ""
            if status == "open":
                stage = (stage_cycle % 6) + 1 if customer else (stage_cycle % 5) + 1
                stage_cycle += 1
                expected = today + dt.timedelta(days=rng.randint(-30, 300))
            else:
                closed_at = min(self.at(0, 9), created + dt.timedelta(days=rng.randint(60, 400)))
                expected = closed_at.date()
                if status == "won":
                    stage, reason = rng.choice((5, 6)), rng.choice(REASONS_WON[lang])
                else:
                    stage, reason = rng.randint(2, 5), rng.choice(REASONS_LOST[lang])
            deal_id = n + 1
            self.deals.append((
                deal_id, a + 1, rng.choice(DEAL_TITLES[lang]),
                self.money(1e6, 2e7) if big else self.money(5e4, 1.5e6),
                expected, stage, status, reason, closed_at, created, closed_at or created,
            ))
            if status == "open":
                self.open_deals[a].append((deal_id, stage))

    # -- visits --------------------------------------------------------------------------------
    def build_visits(self) -> None:
        rng, today = self.rng, self.today
        candidates, weights = [], []
        for a in range(N_ACCOUNTS):
            weight = CLASSES[self.codes[a]][3]
            if self.accounts[a][10]:
                weight *= 2
            if self.codes[a] == "F" and self.people_of[a] and rng.random() < 0.1:
                weight = 0.3  # a few future customers have had a first call
            if weight and self.people_of[a]:
                candidates.append(a)
                weights.append(weight)
        chosen = sorted(rng.choices(candidates, weights, k=N_VISITS))
        people = self.people
        last_done: dict[int, tuple] = {}
        attendee_id = 1
        for n, a in enumerate(chosen):
            visit_id = n + 1
            lang = self.lang[a]
            r = rng.random()
            if r < 0.03:
                status, days_ago = "planned", -rng.randint(1, 30)
            elif r < 0.07:
                status, days_ago = "cancelled", rng.randint(1, HISTORY_DAYS)
            else:
                status, days_ago = "done", rng.randint(0, HISTORY_DAYS)
            when = self.at(days_ago)
            purpose = rng.randrange(len(PURPOSES))
            deal = None
            if self.open_deals[a] and rng.random() < 0.4:
                deal, purpose = rng.choice(self.open_deals[a])[0], 2
            texts = VISIT_TEXTS[lang][purpose]
            done = status == "done"
            visit = (
                visit_id, a + 1, deal, when, rng.choices(KINDS, KIND_WEIGHTS)[0], status, PURPOSES[purpose],
                texts[0], texts[1] if done else "", texts[2] if done else "", texts[3] if done else "",
                (when + dt.timedelta(days=rng.randint(7, 30))).date() if done and rng.random() < 0.5 else None,
                when - dt.timedelta(days=rng.randint(1, 7)), when + dt.timedelta(hours=2) if done else when,
            )
            self.visits.append(visit)
            pool = self.people_of[a]
            for person_id in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                self.attendees.append((attendee_id, visit_id, person_id))
                attendee_id += 1
                if done:
                    person = people[person_id - 1]
                    if person[20] is None or person[20] < when.date():
                        person[20] = when.date()
                        person[22] = max(person[22], when)
            if done and (a not in last_done or last_done[a][3] < when):
                last_done[a] = visit

        # The account's next step comes from its latest visit; some are overdue.
        for a, visit in last_done.items():
            account = self.accounts[a]
            if rng.random() < 0.7:
                account[18] = visit[10]
                r = rng.random()
                if r < 0.3:
                    account[19] = today - dt.timedelta(days=rng.randint(1, 60))
                elif r < 0.9:
                    account[19] = today + dt.timedelta(days=rng.randint(1, 45))
            account[21] = max(account[21], visit[13])


def _insert(model, fields: tuple[str, ...], rows: list) -> None:
    """Bulk insert in chunks (each chunk one INSERT statement, well under SQLite's limits)."""
    columns = [getattr(model, name) for name in fields]
    size = max(1, 16_000 // len(fields))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i : i + size], fields=columns).execute()


def build(path: str | Path, seed: int = 1, *, today: dt.date = REFERENCE_DAY, force: bool = False) -> dict:
    """Create the large database at `path`; return the row counts and the seconds taken.

    Refuses (FileExistsError) to overwrite an existing file unless `force`.
    """
    from saletui.store.db import close_database, open_database
    from saletui.store.models import Account, Deal, Person, Visit, VisitAttendee, database

    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass force=True (--force) to overwrite it")
    start = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    gen = _Gen(seed, today)
    gen.build_accounts()
    gen.build_people()
    gen.build_deals()
    gen.build_visits()
    generated = time.perf_counter()

    open_database(path)
    try:
        with database.atomic():
            _insert(Account, ACCOUNT_FIELDS, gen.accounts)
            _insert(Person, PERSON_FIELDS, gen.people)
            _insert(Deal, DEAL_FIELDS, gen.deals)
            _insert(Visit, VISIT_FIELDS, gen.visits)
            _insert(VisitAttendee, ATTENDEE_FIELDS, gen.attendees)
    finally:
        close_database()
    inserted = time.perf_counter()
    # Open it once more the way saletui does, so that whatever the store derives on
    # opening (e.g. values a migration leaves for the application to fill) is done now
    # and not during the first measured start.
    open_database(path)
    try:
        counts = {model.__name__: model.select().count() for model in (Account, Person, Deal, Visit, VisitAttendee)}
    finally:
        close_database()  # the last connection: SQLite checkpoints and removes the -wal file
    end = time.perf_counter()
    return {"counts": counts, "seconds": end - start, "generate_seconds": generated - start,
            "insert_seconds": inserted - generated, "reopen_seconds": end - inserted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="database file to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    try:
        result = build(args.path, args.seed, force=args.force)
    except FileExistsError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {n:,}" for name, n in result["counts"].items())
    print(f"{args.path}: {counts}")
    print(f"took {result['seconds']:.1f} s (generate {result['generate_seconds']:.1f} s, "
          f"insert {result['insert_seconds']:.1f} s, first open {result['reopen_seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

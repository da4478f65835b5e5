"""Build a large, realistic saletui database for performance work.

    python tests/perf/generate.py PATH [--seed N] [--force]

10,000 accounts (Chinese and English names, every class, tier, stage and about thirty
owners), 100,000 people in org charts (five accounts with 340-500 people six levels
deep), 2,000 deals each with the process's milestone list worked through as far as the
deal has come (the open ones with one to five contacts in roles), 50,000 visits over three years with 1-3 attendees each; the visits made
for a deal carry its checklist (the milestones they set out to answer and which they
did) and some record the objections raised and the technique used. Beside the
database, `PATH.playbook.yaml`: an objection playbook of 1,000 objections (Chinese and
English titles and aliases, stages, tags, a stance and 2-4 techniques each with name,
when, script and follow-up), checked to load without an error through
`saletui.playbook.load.load_file`.

Everything goes through the project's own store layer: `open_database` creates the
schema with the real migrations, then the rows are bulk-inserted with `insert_many` on
the peewee models, in chunks, inside one `database.atomic()`, with explicit ids (like
`saletui.store.demo`). The data derives from one seeded `random.Random` and a fixed
reference day, so the same seed gives the same database.

`build(path, seed=1)`, `playbook_path(db)` and `build_playbook(path, seed=1)` are imported
by bench.py (which writes a missing or outdated playbook beside a cached database by itself,
so a database built before the playbook existed is not rebuilt for it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

# Bump when the generated data changes: bench.py keys its cached database on it.
GENERATOR_VERSION = 6  # 2: milestones, checklists, objections on visits; 3: their dates in order;
# 4: amounts as exact integers of fen, a currency (CNY) on every account; 5: 5M order lines;
# 6: contacts with roles on every open deal (their own random stream: the rest is as in 5)

# A fixed "today" keeps the data deterministic; visits lie in the three years before it.
REFERENCE_DAY = dt.date(2026, 11, 25)

N_ACCOUNTS = 10_000
N_PEOPLE = 100_000
N_DEALS = 2_000
N_VISITS = 50_000
BIG_ORGS = (500, 460, 420, 380, 340)  # people in the few very large accounts (six levels)
HISTORY_DAYS = 3 * 365

# --- vocabulary ------------------------------------------------------------------------

REPS_CN = (
    "李娜",
    "张伟",
    "王磊",
    "刘洋",
    "赵敏",
    "陈静",
    "杨帆",
    "黄晓明",
    "周婷",
    "吴俊",
    "徐丽",
    "孙浩",
    "胡军",
    "朱琳",
    "高远",
    "林峰",
    "何婧",
    "郭涛",
)
REPS_EN = (
    "Sarah Chen",
    "Tom Becker",
    "Mark Weber",
    "Anna Lindqvist",
    "Julia Hoffmann",
    "David Okafor",
    "Emma Rossi",
    "Lucas Martin",
    "Priya Nair",
    "Oliver Grant",
    "Sofia Alvarez",
    "Kenji Mori",
)

CN_CITIES = {
    "华东": ("上海", "苏州", "杭州", "宁波", "南京", "无锡", "常州", "合肥", "济南", "青岛", "温州", "嘉兴"),
    "华南": ("深圳", "广州", "东莞", "佛山", "厦门", "珠海", "中山", "福州"),
    "华北": ("北京", "天津", "石家庄", "太原", "唐山", "保定"),
    "华中": ("武汉", "长沙", "郑州", "南昌", "洛阳", "襄阳"),
    "西南": ("成都", "重庆", "昆明", "贵阳", "绵阳"),
    "西北": ("西安", "兰州", "银川", "乌鲁木齐"),
    "东北": ("沈阳", "大连", "长春", "哈尔滨"),
}
CN_CORES = (
    "恒瑞",
    "海川",
    "天府",
    "金陵",
    "长江",
    "东方",
    "华信",
    "远大",
    "正泰",
    "鼎盛",
    "博远",
    "新天",
    "中联",
    "瑞丰",
    "宏达",
    "永兴",
    "嘉诚",
    "汇通",
    "振华",
    "明阳",
    "安泰",
    "德创",
    "华瑞",
    "凯盛",
    "利民",
    "龙腾",
    "鑫源",
    "润达",
    "同创",
    "亿丰",
    "卓越",
    "众合",
    "腾飞",
    "恒通",
    "盛世",
    "华光",
    "宇航",
    "精工",
    "信达",
    "国泰",
    "中天",
    "星辰",
    "蓝海",
    "万向",
    "鸿基",
    "合力",
    "天成",
    "兴业",
    "宝利",
    "华宇",
    "隆基",
    "和顺",
    "聚能",
    "世纪",
    "东海",
    "北辰",
    "南方",
    "西部",
    "中科",
    "先锋",
)
CN_INDUSTRIES = (  # (industry shown in the list, word in the company name)
    ("机械制造", "精密机械"),
    ("电子制造", "电子科技"),
    ("信息技术", "信息技术"),
    ("汽车零部件", "汽车零部件"),
    ("食品饮料", "食品"),
    ("新能源", "新能源"),
    ("光电", "光电"),
    ("化工", "化工"),
    ("模具", "模具"),
    ("物流", "物流"),
    ("医疗器械", "医疗器械"),
    ("航空航天", "航空部件"),
    ("塑胶制品", "塑胶制品"),
    ("半导体", "半导体"),
    ("重型机械", "重工机械"),
    ("纺织", "纺织"),
    ("智能装备", "智能装备"),
    ("工程机械", "工程机械"),
    ("家电", "电器"),
    ("粮油加工", "粮油"),
    ("船舶配套", "船舶配套"),
    ("制药", "制药"),
    ("检测服务", "检测技术"),
    ("电气设备", "电气"),
    ("包装", "包装材料"),
    ("钢铁", "特钢"),
    ("建材", "建材"),
)
CN_SUFFIXES = ("有限公司", "股份有限公司", "集团", "有限责任公司", "集团股份有限公司")

EN_REGIONS = {
    "EMEA": ("GmbH", "Ltd", "AG", "BV", "S.A.", "Oy", "plc", "SE", "AB", "S.p.A."),
    "North America": ("Inc.", "Corp.", "LLC", "Co.", "Ltd"),
    "APAC": ("Pte Ltd", "Pty Ltd", "K.K.", "Co., Ltd.", "Sdn Bhd"),
    "Shanghai": ("(Shanghai) Co., Ltd.",),
    "Suzhou": ("(Suzhou) Co., Ltd.",),
}
EN_PREFIXES = (
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Adventure",
    "Tailspin",
    "Litware",
    "Bluewater",
    "Alpine",
    "Kestrel",
    "Redwood",
    "Harbor Point",
    "Meridian",
    "Ironbridge",
    "Sunrise",
    "Granite",
    "Polaris",
    "Vantage",
    "Oakridge",
    "Summit",
    "Copperleaf",
    "Nordlicht",
    "Pacific Rim",
    "Westbrook",
    "Atlas",
    "Blue Ridge",
    "Silverline",
    "Evergreen",
    "Falcon",
    "Horizon",
    "Keystone",
    "Lakeside",
    "Maple",
    "Northstar",
    "Orion",
    "Pinnacle",
    "Quantum",
    "Riverbend",
    "Sterling",
    "Trident",
    "Union",
    "Vertex",
    "Wildrose",
    "Yellowstone",
    "Zenith",
    "Beacon",
    "Cascade",
    "Driftwood",
    "Ember",
    "Foxglove",
    "Greystone",
    "Highland",
    "Juniper",
    "Kingfisher",
    "Lighthouse",
    "Monarch",
    "Nimbus",
)
EN_INDUSTRIES = (
    ("Logistics", "Logistics"),
    ("Precision machining", "Precision"),
    ("Industrial automation", "Automation"),
    ("Bicycles", "Cycles"),
    ("Aerospace", "Aerospace"),
    ("Semiconductors", "Semiconductor"),
    ("Marine equipment", "Marine"),
    ("Food & dairy", "Dairy"),
    ("Medical devices", "Medical"),
    ("Packaging", "Packaging"),
    ("Chemicals", "Chemicals"),
    ("Automotive", "Auto Parts"),
    ("Rail", "Rail"),
    ("Solar", "Solar"),
    ("Mining", "Mining Equipment"),
    ("Cold-chain logistics", "Cold Chain"),
    ("Robotics", "Robotics"),
    ("Pharmaceuticals", "Pharma"),
    ("Textiles", "Textiles"),
    ("Electrical equipment", "Electric"),
    ("Wind energy", "Windkraft"),
    ("Electronics", "Electronics"),
    ("Food processing", "Foods"),
    ("Cranes & lifting", "Heavy Lift"),
    ("Steel", "Steel"),
)
EN_MIDDLES = ("", "", "", "Industries", "Systems", "Group", "Technologies", "Solutions", "Works", "International")
# A few names that are hard to draw: markup, emoji, very long, control-free but odd.
ODD_NAMES = (
    "[bold]Markup & Sons[/]",
    "Café Nova ☕",
    "Ünïcødé Präzisionstechnik GmbH",
    "Very Long Name Holdings International Limited Liability Partnership of the Greater Pearl River Delta",
    "东莞市长安镇超长名称精密五金塑胶电子科技实业发展有限公司第二分公司",
)

SURNAMES_CN = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "萧",
    "田",
    "董",
    "潘",
    "袁",
    "蔡",
    "蒋",
    "余",
    "于",
)
GIVEN_CN = (
    "建国",
    "志强",
    "秀英",
    "海燕",
    "明",
    "静",
    "磊",
    "伟",
    "芳",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "超",
    "俊峰",
    "晓东",
    "丽华",
    "国强",
    "文博",
    "思远",
    "雪梅",
    "宏伟",
    "春生",
    "佳怡",
    "立新",
    "慧敏",
    "永刚",
    "鹏",
    "婷",
    "凯",
    "子涵",
    "浩然",
    "欣怡",
    "宇轩",
    "梓萱",
    "一鸣",
    "晨曦",
    "嘉豪",
)
PINYIN = {  # e-mail local parts
    "王": "wang",
    "李": "li",
    "张": "zhang",
    "刘": "liu",
    "陈": "chen",
    "杨": "yang",
    "赵": "zhao",
    "黄": "huang",
    "周": "zhou",
    "吴": "wu",
    "徐": "xu",
    "孙": "sun",
    "胡": "hu",
    "朱": "zhu",
    "高": "gao",
    "林": "lin",
    "何": "he",
    "郭": "guo",
    "马": "ma",
    "罗": "luo",
    "梁": "liang",
    "宋": "song",
    "郑": "zheng",
    "谢": "xie",
    "韩": "han",
    "唐": "tang",
    "冯": "feng",
    "邓": "deng",
    "曹": "cao",
    "彭": "peng",
    "曾": "zeng",
    "萧": "xiao",
    "田": "tian",
    "董": "dong",
    "潘": "pan",
    "袁": "yuan",
    "蔡": "cai",
    "蒋": "jiang",
    "余": "yu",
    "于": "yu2",
}
FIRST_EN = (
    "Anna",
    "Lukas",
    "Jonas",
    "Marie",
    "Felix",
    "Claire",
    "Pierre",
    "Sophie",
    "James",
    "Emily",
    "Oliver",
    "Hannah",
    "Daniel",
    "Laura",
    "Michael",
    "Priya",
    "Raj",
    "Kenji",
    "Aisha",
    "Carlos",
    "Elena",
    "Marco",
    "Ingrid",
    "Henrik",
    "Noah",
    "Grace",
    "Liam",
    "Chloe",
    "Ethan",
    "Fatima",
    "Tobias",
    "Maja",
    "Samuel",
    "Isabel",
    "Victor",
    "Nora",
)
LAST_EN = (
    "Mueller",
    "Schmidt",
    "Fischer",
    "Weber",
    "Dubois",
    "Martin",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Clarke",
    "Nguyen",
    "Tan",
    "Lim",
    "Sato",
    "Rossi",
    "Novak",
    "Larsen",
    "Virtanen",
    "Patel",
    "Garcia",
    "O'Brien",
    "Walsh",
    "Kowalski",
    "Jansen",
    "Ferreira",
    "Keller",
    "Berg",
    "Horvat",
    "Costa",
    "Eriksson",
)

# department key -> (cn name, en name)
DEPTS = {
    "purchasing": ("采购部", "Procurement"),
    "engineering": ("技术部", "Engineering"),
    "production": ("生产部", "Operations"),
    "quality": ("质量部", "Quality"),
    "finance": ("财务部", "Finance"),
    "it": ("信息中心", "IT"),
    "logistics": ("物流部", "Logistics"),
    "rnd": ("研发中心", "R&D"),
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
ROLES = {
    "purchasing": "procurement",
    "engineering": "technical-evaluator",
    "production": "user",
    "quality": "technical-evaluator",
    "finance": "economic-buyer",
    "it": "technical-evaluator",
    "logistics": "user",
    "rnd": "technical-evaluator",
}
ATTITUDES = ("", "mentor", "supporter", "neutral", "non-supporter", "opponent")
COVERAGE = ("unknown", "none", "brief", "multiple", "in-depth")
INTERESTS = (
    ("羽毛球", "钓鱼", "马拉松", "喝茶", "摄影", "高尔夫", "围棋", "健身"),
    ("Sailing", "Road cycling", "Football", "Wine", "Hiking", "Chess", "Golf", "Jazz"),
)
PAINS = (
    ("年度降本指标压力大", "供应商交期不稳定", "设备故障率高", "OEE偏低", "现金流紧张", "系统孤岛"),
    (
        "Must cut spend by 5%",
        "Unreliable lead times",
        "Frequent breakdowns",
        "OEE stuck at 65%",
        "Cash is tight",
        "Siloed systems",
    ),
)

VISIT_TEXTS = (
    (
        ("节前拜访，维系关系", "对服务满意，提到扩产计划", "关系稳定", "约技术部交流"),
        ("介绍新一代产品", "对节能数据感兴趣", "价格是下一关", "寄送案例资料"),
        ("确认项目预算和决策流程", "预算已批，总经理拍板", "下一步影响采购标准", "提交技术方案"),
        ("处理交付延迟投诉", "接受补货计划", "要防止再次发生", "每周通报交付状态"),
        ("了解竞争对手动向", "竞争对手报价低10%", "优势在交期和服务", "准备总成本对比表"),
    ),
    (
        (
            "Courtesy visit before the holidays",
            "Happy with service; expansion next year",
            "Relationship solid",
            "Meet engineering",
        ),
        ("Present the new generation", "Keen on the energy figures", "Price is the next hurdle", "Send case studies"),
        (
            "Confirm budget and decision process",
            "Budget approved; MD signs",
            "Influence the criteria next",
            "Send the proposal draft",
        ),
        (
            "Handle a late-delivery complaint",
            "Accepted the recovery plan",
            "Must not happen again",
            "Weekly delivery status",
        ),
        (
            "Learn what the competition does",
            "Competitor 10% cheaper but slower",
            "Our edge is lead time",
            "Total-cost comparison",
        ),
    ),
)
PURPOSES = ("care", "information", "progress", "service", "intelligence")
KINDS = ("visit", "call", "meeting", "email")
KIND_WEIGHTS = (45, 25, 15, 15)
DEAL_TITLES = (
    (
        "MES系统升级",
        "仓储自动化项目",
        "年度备件框架协议",
        "能源管理系统",
        "设备预测性维护试点",
        "焊装线机器人集成",
        "视觉检测设备采购",
        "洁净车间改造",
        "售后服务合同续签",
    ),
    (
        "MES upgrade",
        "Warehouse automation retrofit",
        "Spare parts framework",
        "Energy monitoring",
        "Predictive maintenance pilot",
        "Robotic welding cell",
        "Vision inspection rollout",
        "Cleanroom expansion",
        "Service contract renewal",
    ),
)
REASONS_WON = (("综合成本最优", "交期最短", "老客户续约"), ("Best total cost", "Shortest lead time", "Renewal"))
REASONS_LOST = (
    ("竞争对手报价低15%", "项目预算被砍", "决策人更换"),
    ("Lost on price", "Budget frozen", "New decision maker"),
)

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

ACCOUNT_FIELDS = (
    "id",
    "name",
    "industry",
    "region",
    "owner",
    "relationship",
    "contribution",
    "stability",
    "expected_value",
    "intent",
    "tier",
    "market_capacity",
    "excluded_capacity",
    "excluded_channels",
    "credit_terms",
    "payment_terms",
    "rules_of_engagement",
    "profile_notes",
    "next_step",
    "next_step_date",
    "created_at",
    "updated_at",
    "archived_at",
    "currency",
)
PERSON_FIELDS = (
    "id",
    "account",
    "reports_to",
    "name",
    "title",
    "department",
    "influence",
    "is_coach",
    "attitude",
    "coverage",
    "buying_role",
    "owner",
    "phone",
    "fax",
    "email",
    "interests",
    "pains",
    "good_supplier",
    "responsibility",
    "notes",
    "last_contacted",
    "created_at",
    "updated_at",
)
DEAL_FIELDS = (
    "id",
    "account",
    "title",
    "value",
    "expected_close",
    "stage",
    "status",
    "close_reason",
    "closed_at",
    "created_at",
    "updated_at",
)
VISIT_FIELDS = (
    "id",
    "account",
    "deal",
    "planned_at",
    "kind",
    "status",
    "purposes",
    "objective",
    "outcome",
    "debrief",
    "next_step",
    "next_step_date",
    "created_at",
    "updated_at",
)
ATTENDEE_FIELDS = ("id", "visit", "person")
DEAL_CONTACT_FIELDS = ("id", "deal", "person", "roles", "is_primary")
DEAL_ROLES = ("decision-maker", "economic-buyer", "technical-buyer", "user", "coach", "influencer", "gatekeeper")
MILESTONE_FIELDS = (
    "id",
    "deal",
    "stage",
    "position",
    "template_id",
    "question",
    "key_node",
    "status",
    "skip_reason",
    "reached_visit",
    "reached_on",
    "note",
    "created_at",
    "updated_at",
)
ITEM_FIELDS = ("id", "visit", "milestone", "position", "result", "note")
OBJECTION_FIELDS = (
    "id",
    "visit",
    "objection_id",
    "objection_title",
    "technique_id",
    "technique_name",
    "worked",
    "note",
    "created_at",
)
SKIP_REASONS = ("客户已有明确标准，不需要再谈", "Not relevant: the customer settled this before we came in")
ITEM_NOTES = (
    ("客户认可，纪要已发", "还需要技术部确认", "总经理当场表态支持"),
    ("Agreed; minutes sent", "Engineering still has to confirm", "The MD said yes in the room"),
)


class _Gen:
    """Generates the rows as tuples (in the *_FIELDS order) from one seeded Random."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.accounts: list[list] = []
        self.lang: list[int] = []  # per account: 0 Chinese, 1 English
        self.codes: list[str] = []
        self.people_of: list[list[int]] = []  # person ids per account (index = account id - 1)
        self.people: list[list] = []
        self.deals: list[tuple] = []
        self.open_deals: list[list[tuple[int, int]]] = []  # (deal id, stage) per account
        self.deals_of: list[list[tuple[int, dt.datetime, dt.datetime]]] = []  # (id, from, until) per account
        self.milestones: list[list] = []
        self.items: list[tuple] = []
        self.objections: list[tuple] = []
        self.visits: list[tuple] = []
        self.attendees: list[tuple] = []
        self.deal_contacts: list[tuple] = []

    def at(self, days_ago: int, hour: int | None = None) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(8, 18) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)))

    def money(self, low: float, high: float) -> int:
        """Log-uniform yuan, two significant figures, as exact fen (saletui.money)."""
        value = low * (high / low) ** self.rng.random()
        step = 10 ** max(0, len(str(int(value))) - 2)
        return round(value / step) * step * 100

    # -- accounts ------------------------------------------------------------------------------
    def account_names(self) -> list[tuple[str, int, str, str]]:
        """(name, language, industry, region) for every account, unique ignoring case."""
        rng = self.rng
        seen: set[str] = set()
        out: list[tuple[str, int, str, str]] = []
        for _i, name in enumerate(ODD_NAMES):
            lang = 0 if "\u4e00" <= name[0] <= "\u9fff" else 1
            out.append(
                (
                    name,
                    lang,
                    rng.choice(CN_INDUSTRIES if lang == 0 else EN_INDUSTRIES)[0],
                    rng.choice(tuple(CN_CITIES)) if lang == 0 else rng.choice(tuple(EN_REGIONS)),
                )
            )
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
        for _name, lang, _industry, _region in names:
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
                excluded = int(round(capacity // 100 * rng.uniform(0.05, 0.4), -3)) * 100  # whole thousands of yuan
            created = self.at(rng.randint(HISTORY_DAYS, HISTORY_DAYS + 2000), 10)
            self.accounts.append(
                [
                    i + 1,
                    name,
                    industry,
                    region,
                    owners[i],
                    relationship,
                    axes[0] if customer else None,
                    axes[1] if customer else None,
                    axes[0] if prospect else None,
                    axes[1] if prospect else None,
                    tiers[i],
                    capacity,
                    excluded,
                    ("海外工厂由总部统一采购" if lang == 0 else "Spare parts via a catalogue distributor")
                    if capacity and rng.random() < 0.5
                    else "",
                    rng.choice(
                        ("信用额度300万元", "款到发货", "")
                        if lang == 0
                        else ("Credit limit EUR 250k", "Prepayment", "")
                    ),
                    rng.choice(("月结60天", "月结90天", "") if lang == 0 else ("Net 45", "Net 30", "Net 60")),
                    ("寄售库存两周用量" if lang == 0 else "Consignment stock: two weeks of usage") if customer else "",
                    (
                        "外资控股，重大采购需总部批准。"
                        if lang == 0
                        else "Family-owned; the founder signs everything above 50k."
                    )
                    if rng.random() < 0.6
                    else "",
                    "",
                    None,  # next step: set from the visits
                    created,
                    created,
                    None,
                    "CNY",  # amounts above are fen of it
                ]
            )
            self.people_of.append([])
            self.open_deals.append([])
            self.deals_of.append([])

    # -- people --------------------------------------------------------------------------------
    def people_sizes(self) -> list[int]:
        rng = self.rng
        sizes = [0] * N_ACCOUNTS
        candidates = [i for i in range(N_ACCOUNTS) if self.codes[i] in ("EI", "EII")]
        big = rng.sample(candidates, len(BIG_ORGS))
        for i, size in zip(big, BIG_ORGS, strict=False):
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
                self.people.append(
                    [
                        next_id,
                        a + 1,
                        first_id + parent if parent is not None else None,
                        name,
                        title,
                        dept_name,
                        influence,
                        k == coach,
                        attitude,
                        coverage,
                        role,
                        account[4] if dept == "purchasing" else "",
                        f"1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                        if lang == 0
                        else f"+49 {rng.randint(30, 899)} {rng.randint(100000, 999999)}",
                        "",
                        f"{local}@{domain}" if rng.random() < 0.9 else "",
                        rng.choice(INTERESTS[lang]) if contacted and rng.random() < 0.4 else "",
                        rng.choice(PAINS[lang]) if contacted and rng.random() < 0.5 else "",
                        "",
                        "",
                        "",
                        None,  # last contacted: from the visits
                        joined,
                        joined,
                    ]
                )
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
            self.deals.append(
                (
                    deal_id,
                    a + 1,
                    rng.choice(DEAL_TITLES[lang]),
                    self.money(1e6, 2e7) if big else self.money(5e4, 1.5e6),
                    expected,
                    stage,
                    status,
                    reason,
                    closed_at,
                    created,
                    closed_at or created,
                )
            )
            if status == "open":
                self.open_deals[a].append((deal_id, stage))
            self.deals_of[a].append((deal_id, created, closed_at or self.at(-400, 9)))

    def build_deal_contacts(self) -> None:
        """Two to five people of the account on each open deal, with one or two roles each,
        the first one primary; one deal in five hangs on one person. Drawn from their own
        random stream, so the rest of the data is the same as without them."""
        rng = random.Random(self.seed * 7919 + 31)
        for a, open_deals in enumerate(self.open_deals):
            staff = self.people_of[a]
            for deal_id, _stage in open_deals:
                if not staff:
                    continue
                count = 1 if rng.random() < 0.2 else min(len(staff), rng.randint(2, 5))
                for n, person in enumerate(rng.sample(staff, count)):
                    roles = sorted(rng.sample(DEAL_ROLES, rng.choice((1, 1, 2))), key=DEAL_ROLES.index)
                    self.deal_contacts.append((len(self.deal_contacts) + 1, deal_id, person, ",".join(roles), n == 0))

    # -- visits --------------------------------------------------------------------------------
    def build_visits(self) -> None:
        rng, today = self.rng, self.today
        candidates, weights = [], []
        for a in range(N_ACCOUNTS):
            weight = CLASSES[self.codes[a]][3]
            if self.accounts[a][10]:
                weight *= 2
            if self.deals_of[a]:
                weight *= 3  # reps visit where they are selling
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
            purpose = rng.randrange(len(PURPOSES))
            deal = None
            # Where a rep sells, most visits are made for a deal, while it runs.
            if self.deals_of[a] and rng.random() < 0.85:
                deal_id, since, until = rng.choice(self.deals_of[a])
                latest = (today - until.date()).days
                if status == "planned" and latest >= 0:  # that deal is closed: a visit done for it
                    status, days_ago = "done", rng.randint(latest, (today - since.date()).days)
                elif status != "planned":
                    days_ago = rng.randint(max(0, latest), max(0, latest, (today - since.date()).days))
                deal, purpose = deal_id, 2
            when = self.at(days_ago)
            texts = VISIT_TEXTS[lang][purpose]
            done = status == "done"
            visit = (
                visit_id,
                a + 1,
                deal,
                when,
                rng.choices(KINDS, KIND_WEIGHTS)[0],
                status,
                PURPOSES[purpose],
                texts[0],
                texts[1] if done else "",
                texts[2] if done else "",
                texts[3] if done else "",
                (when + dt.timedelta(days=rng.randint(7, 30))).date() if done and rng.random() < 0.5 else None,
                when - dt.timedelta(days=rng.randint(1, 7)),
                when + dt.timedelta(hours=2) if done else when,
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

    # -- milestones, checklists, objections -----------------------------------------------------
    def build_milestones(self, processes: tuple, playbooks: tuple) -> None:
        """Each deal gets the process's milestone list (in its account's language), worked
        through as far as the deal has come: every stage before the current one reached
        (a few skipped), part of the current one reached. The reached ones are spread over
        the deal's visits in order, each visit's checklist holding the milestones it set out
        to answer; a planned visit lists the next open ones. `processes` and `playbooks`
        are (Chinese, English)."""
        rng = self.rng
        visits_of: dict[int, list[tuple]] = {}
        for visit in self.visits:
            if visit[2] is not None:
                visits_of.setdefault(visit[2], []).append(visit)
        next_id = 1
        for deal in self.deals:
            deal_id, account_id, stage, status, created = deal[0], deal[1], deal[5], deal[6], deal[9]
            lang = self.lang[account_id - 1]
            rows: list[list] = []
            for number, process_stage in enumerate(processes[lang].stages, start=1):
                for position, template in enumerate(process_stage.milestones):
                    rows.append(
                        [
                            next_id,
                            deal_id,
                            number,
                            position,
                            template.id,
                            template.question,
                            template.key_node,
                            "open",
                            "",
                            None,
                            None,
                            "",
                            created,
                            created,
                        ]
                    )
                    next_id += 1
            through = stage + 1 if status == "won" else stage
            n_reached = sum(1 for r in rows if r[2] < through)
            if status == "open":
                n_reached += rng.randint(0, max(0, sum(1 for r in rows if r[2] == stage) - 1))
            reached = []
            for r in rows[:n_reached]:
                if not r[6] and rng.random() < 0.03:
                    r[7], r[8] = "skipped", SKIP_REASONS[lang]
                else:
                    r[7] = "reached"
                    reached.append(r)
            visits = sorted(visits_of.get(deal_id, ()), key=lambda v: v[3])
            done = [v for v in visits if v[5] == "done"]
            open_rows = [r for r in rows if r[7] == "open"]
            tried = reached or open_rows  # what a visit that reached nothing had set out to answer
            # The latest visits reached the latest milestones; the earliest were settled
            # before any recorded visit, or on visits that tried and did not get there.
            left = len(reached)
            for visit in reversed(done):
                take = min(left, rng.randint(1, 3))
                checklist = [(r, "reached") for r in reached[left - take : left]]
                left -= take
                if not checklist and tried:
                    checklist = [(r, "not_reached") for r in tried[: rng.randint(1, min(2, len(tried)))]]
                for position, (r, result) in enumerate(checklist):
                    if result == "reached":
                        r[9], r[10], r[13] = visit[0], visit[3].date(), visit[13]
                    self.items.append(
                        (
                            len(self.items) + 1,
                            visit[0],
                            r[0],
                            position,
                            result,
                            rng.choice(ITEM_NOTES[lang]) if rng.random() < 0.3 else "",
                        )
                    )
                self._objections(visit, lang, playbooks[lang])
            # Settled before the first recorded visit: in order, between the deal's start and it.
            first_visit = done[0][3].date() if done else self.today
            span = max(0, min(20, (first_visit - created.date()).days))
            for r, offset in zip(reached[:left], sorted(rng.randint(0, span) for _ in range(left)), strict=False):
                r[10] = created.date() + dt.timedelta(days=offset)
            for visit in visits:
                if visit[5] in ("planned", "cancelled"):  # a cancelled visit keeps what it had planned
                    for position, r in enumerate(open_rows[: rng.randint(2, 3)]):
                        self.items.append((len(self.items) + 1, visit[0], r[0], position, "pending", ""))
            self.milestones.extend(rows)

    def _objections(self, visit: tuple, lang: int, playbook) -> None:
        """Now and then the customer objected on a visit; what we answered, and if it worked."""
        rng = self.rng
        if rng.random() >= 0.2:
            return
        for objection in rng.sample(playbook.objections, rng.randint(1, 2)):
            technique = rng.choice(objection.techniques)
            worked = rng.choices((True, False, None), (55, 30, 15))[0]
            self.objections.append(
                (
                    len(self.objections) + 1,
                    visit[0],
                    objection.id,
                    objection.title,
                    technique.id,
                    technique.name,
                    worked,
                    "",
                    visit[13],
                )
            )


# --- the trading history ---------------------------------------------------------------
# N_ORDER_LINES order lines over the accounts, in orders of 1-6 lines, over the history's
# three years: customers buy by their class (high contribution: many and large orders;
# high stability: every month, low: in bursts), a prospect now and then a trial order,
# future accounts never. Streamed in chunks (five million tuples would not fit in memory),
# from a Random of its own, so the rest of the database is the same with or without them.

N_ORDER_LINES = 5_000_000
ORDER_CHUNK = 100_000
# Lines per account relative to each other, by class (0: never buys).
ORDER_WEIGHTS = {"EI": 60.0, "EII": 45.0, "EIII": 14.0, "EIV": 4.0, "PI": 0.4, "PII": 0.3, "PIII": 0.2}
PRODUCTS = (  # (category, product, unit price in yuan), Chinese and English catalogue alike
    *(("机床", f"数控车床 CK{6100 + 10 * i}", 180_000 + 20_000 * i) for i in range(8)),
    *(("机床", f"加工中心 VMC{850 + 50 * i}", 320_000 + 30_000 * i) for i in range(6)),
    *(
        ("刀具", f"硬质合金刀片 {k}", 35 + 5 * i)
        for i, k in enumerate(("CNMG", "DNMG", "TNMG", "VNMG", "WNMG", "SNMG"))
    ),
    *(("备件", f"主轴轴承 {7000 + i}C", 1_800 + 150 * i) for i in range(10)),
    *(("服务", f"{k}服务", 8_000 + 4_000 * i) for i, k in enumerate(("安装调试", "年度保养", "操作培训", "远程诊断"))),
    *(("Machines", f"Lathe L-{200 + 20 * i}", 160_000 + 25_000 * i) for i in range(6)),
    *(("Tooling", f"Carbide insert {k}", 40 + 6 * i) for i, k in enumerate(("CNMG", "DCMT", "TPMT", "VBMT"))),
    *(("Spare parts", f"Ball screw BS-{16 + 4 * i}", 2_400 + 300 * i) for i in range(8)),
    *(
        ("Services", k, 9_000 + 5_000 * i)
        for i, k in enumerate(("Commissioning", "Annual service", "Operator training"))
    ),
)
ORDER_LINE_COLUMNS = (
    "account_id",
    "ordered_on",
    "product",
    "category",
    "quantity",
    "amount",
    "currency",
    "order_no",
    "line_no",
    "rep",
    "source",
    "note",
    "created_at",
    "updated_at",
)


def order_line_chunks(accounts: list[list], seed: int, today: dt.date, total: int = N_ORDER_LINES):
    """Lists of order-line tuples (ORDER_LINE_COLUMNS), `total` lines in all, for `accounts`
    (the generator's account rows: id, name, industry, region, owner, relationship,
    contribution, stability, ...)."""
    rng = random.Random(f"orders-{seed}")
    reps = REPS_CN + REPS_EN
    weights: list[float] = []
    for row in accounts:
        relationship, contribution, stability, value, intent = row[5], row[6], row[7], row[8], row[9]
        if relationship == "customer":
            code = "E" + {("high", "high"): "I", ("high", "low"): "II", ("low", "high"): "III"}.get(
                (contribution, stability), "IV"
            )
        elif relationship == "prospect" and value and intent:
            code = "P" + {("high", "high"): "I", ("high", "low"): "II", ("low", "high"): "III"}.get(
                (value, intent), "IV"
            )
        else:
            code = ""
        weights.append(ORDER_WEIGHTS.get(code, 0.0) * rng.uniform(0.5, 1.5))
    scale = total / sum(weights)
    quotas = [int(w * scale) for w in weights]
    short = total - sum(quotas)  # the rounding, given to the largest buyers
    for i in sorted(range(len(quotas)), key=lambda i: -weights[i])[:short]:
        quotas[i] += 1
    cn_products = [p for p in PRODUCTS if "\u4e00" <= p[1][0] <= "\u9fff" or "\u4e00" <= p[0][0] <= "\u9fff"]
    en_products = [p for p in PRODUCTS if p not in cn_products]
    days = [today - dt.timedelta(days=d) for d in range(HISTORY_DAYS)]
    months = sorted({(d.year, d.month) for d in days})
    days_in: dict[tuple[int, int], list[str]] = {}
    for d in days:
        days_in.setdefault((d.year, d.month), []).append(d.isoformat())
    stamp = f"{today.isoformat()} 08:00:00"
    chunk: list[tuple] = []
    order_no = 0
    for row, quota in zip(accounts, quotas, strict=True):
        if not quota:
            continue
        account_id, owner, stable = row[0], row[4], row[7] != "low"
        catalogue = cn_products if "\u4e00" <= row[1][0] <= "\u9fff" else en_products
        mine = rng.sample(catalogue, min(len(catalogue), rng.randint(3, 12)))
        # A steady buyer orders in every month; an unsteady one in a few bursts of months.
        active = months if stable else rng.sample(months, max(1, len(months) // rng.randint(3, 6)))
        left = quota
        while left:
            order_no += 1
            size = min(left, rng.randint(1, 6))
            left -= size
            day = rng.choice(days_in[rng.choice(active)])
            rep = owner if owner and rng.random() < 0.92 else rng.choice(reps)
            number = f"SO{order_no:08d}"
            for n in range(1, size + 1):
                category, product, price = rng.choice(mine)
                quantity = rng.randint(1, 40) if price < 10_000 else rng.randint(1, 3)
                chunk.append(
                    (
                        account_id,
                        day,
                        product,
                        category,
                        float(quantity),
                        price * quantity * 100,
                        "CNY",
                        number,
                        str(n),
                        rep,
                        "perf",
                        "",
                        stamp,
                        stamp,
                    )
                )
                if len(chunk) >= ORDER_CHUNK:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def insert_order_lines(
    accounts: list[list], seed: int, today: dt.date, total: int = N_ORDER_LINES, *, bulk_summaries: bool = True
) -> dict:
    """Write the order lines straight into order_line (executemany, one transaction).

    With `bulk_summaries` (the default) the summary triggers of migration 0009 are dropped
    for the insert and the summaries computed afterwards in three INSERT ... SELECT ...
    GROUP BY over the lines, then the triggers are created again, all in the same
    transaction: line by line the triggers cost about 58 us a line (5M lines: five minutes),
    in bulk about 18 us (a minute and a half). That is safe here because the database is new
    and this one transaction is its only writer (SQLite's DDL is transactional: a kill
    leaves neither lines nor summaries nor missing triggers), the summaries are computed
    by the very definitions the triggers apply (migration 0009's month, keys and sums),
    and the totals are checked against the lines before the commit. Without it every
    line goes through the triggers, as an import's does.
    Returns the lines written and the seconds spent generating, inserting, summarising."""
    import importlib

    from saletui.store.models import database

    migration = importlib.import_module("saletui.store.migrations.0009_orders")
    names = ", ".join(ORDER_LINE_COLUMNS)
    sql = f"INSERT INTO order_line ({names}) VALUES ({', '.join('?' * len(ORDER_LINE_COLUMNS))})"
    generating = inserting = summarising = 0.0
    written = 0
    conn = database.connection()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    # A cache of 400 MB instead of SQLite's 2 MB: the index on the order day takes its
    # inserts in random order, and each one that misses the cache is a page read.
    conn.execute("PRAGMA cache_size = -400000")
    with database.atomic():
        if bulk_summaries:
            for name in migration.TRIGGERS:
                conn.execute(f"DROP TRIGGER {name}")
        t0 = time.perf_counter()
        for chunk in order_line_chunks(accounts, seed, today, total):
            t1 = time.perf_counter()
            conn.executemany(sql, chunk)
            t2 = time.perf_counter()
            generating += t1 - t0
            inserting += t2 - t1
            written += len(chunk)
            t0 = time.perf_counter()
        if bulk_summaries:
            summarising = _bulk_summaries(conn, migration)
    conn.execute(f"PRAGMA cache_size = {int(cache)}")
    return {
        "lines": written,
        "generate_seconds": generating,
        "insert_seconds": inserting,
        "summary_seconds": summarising,
        "bulk_summaries": bulk_summaries,
    }


def _bulk_summaries(conn, migration) -> float:
    """Fill the summaries from the lines (the triggers' definitions, as one GROUP BY each),
    check their totals against the lines, and create the triggers again."""
    t0 = time.perf_counter()
    month = migration._MONTH.format(row="order_line")
    conn.execute(
        "INSERT INTO sales_month (account_id, month, rep, currency, amount, quantity, lines) "
        f"SELECT account_id, {month}, rep, currency, sum(amount), sum(COALESCE(quantity, 0)), count(*) "
        "FROM order_line GROUP BY 1, 2, 3, 4"
    )
    conn.execute(
        "INSERT INTO product_month (product, category, month, currency, amount, quantity, lines) "
        f"SELECT product, category, {month}, currency, sum(amount), sum(COALESCE(quantity, 0)), count(*) "
        "FROM order_line GROUP BY 1, 2, 3, 4"
    )
    conn.execute(
        "INSERT INTO account_trade (account_id, first_on, last_on, order_days, lines) "
        "SELECT account_id, min(ordered_on), max(ordered_on), count(DISTINCT ordered_on), count(*) "
        "FROM order_line GROUP BY account_id"
    )
    lines = conn.execute("SELECT count(*), sum(amount) FROM order_line").fetchone()
    for table in ("sales_month", "product_month"):
        summed = conn.execute(f"SELECT sum(lines), sum(amount) FROM {table}").fetchone()
        if tuple(summed) != tuple(lines):
            raise RuntimeError(f"{table} sums {summed} but the lines hold {lines}")
    if conn.execute("SELECT sum(lines) FROM account_trade").fetchone()[0] != lines[0]:
        raise RuntimeError("account_trade does not count every line")
    for name, body in migration.TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER {name} {body}")
    return time.perf_counter() - t0


# --- the objection playbook ------------------------------------------------------------
# Written next to the database (playbook_path) by build() and by bench.py when missing:
# N_OBJECTIONS objections = every theme x every offering, in a seeded order; about half
# Chinese, half English; aliases (sometimes one in the other language), stages, tags,
# stance and 2-4 techniques each with name, when, script and follow_up.

# Bump when the generated playbook changes: its `version:` carries it, and bench.py
# rewrites a cached playbook whose version differs.
PLAYBOOK_VERSION = 1
N_OBJECTIONS = 1_000

# (id, English, Chinese, tag English, tag Chinese): what an objection is about.
PB_OFFERINGS = (
    ("mes", "the MES upgrade", "MES系统升级", "software", "软件"),
    ("spare-parts", "spare parts", "备件", "parts", "备件"),
    ("service", "the service contract", "服务合同", "service", "服务"),
    ("robot-cell", "the robot cell", "机器人工作站", "automation", "自动化"),
    ("energy", "energy monitoring", "能源管理系统", "software", "软件"),
    ("vision", "the vision inspection system", "视觉检测设备", "quality", "质量"),
    ("pdm", "predictive maintenance", "预测性维护", "service", "服务"),
    ("warehouse", "warehouse automation", "仓储自动化", "automation", "自动化"),
    ("cleanroom", "the cleanroom retrofit", "洁净车间改造", "project", "项目"),
    ("training", "operator training", "操作培训", "service", "服务"),
    ("cloud", "the cloud option", "云端方案", "software", "软件"),
    ("warranty", "the extended warranty", "延保服务", "service", "服务"),
    ("welding", "the welding line", "焊装线", "equipment", "设备"),
    ("conveyor", "the conveyor system", "输送线", "equipment", "设备"),
    ("test-bench", "the test bench", "测试台", "equipment", "设备"),
    ("cnc", "the CNC retrofit", "数控改造", "project", "项目"),
    ("remote", "remote monitoring", "远程监控", "software", "软件"),
    ("framework", "the annual framework agreement", "年度框架协议", "contract", "合同"),
    ("pilot", "the pilot project", "试点项目", "project", "项目"),
    ("calibration", "the calibration service", "校准服务", "service", "服务"),
    ("laser", "the laser marking unit", "激光打标机", "equipment", "设备"),
    ("packaging", "the packaging line", "包装线", "equipment", "设备"),
    ("agv", "the AGV fleet", "AGV小车", "automation", "自动化"),
    ("compressor", "the compressor upgrade", "空压机改造", "energy", "节能"),
    ("licences", "the software licences", "软件授权", "software", "软件"),
    ("onsite", "on-site support", "驻场支持", "service", "服务"),
    ("analytics", "the data analytics module", "数据分析模块", "software", "软件"),
    ("safety", "the safety upgrade", "安全改造", "project", "项目"),
    ("spindle", "the spindle repair", "主轴维修", "service", "服务"),
    ("painting", "the painting line", "涂装线", "equipment", "设备"),
    ("cold-chain", "the cold-chain sensors", "冷链传感器", "equipment", "设备"),
    ("erp", "the ERP interface", "ERP接口", "software", "软件"),
    ("plant2", "the second plant", "二期工厂", "project", "项目"),
    ("consignment", "the consignment stock", "寄售库存", "parts", "备件"),
    ("hydraulics", "the hydraulic units", "液压站", "equipment", "设备"),
    ("digital-twin", "the digital twin", "数字孪生", "software", "软件"),
    ("filtration", "the filtration system", "过滤系统", "equipment", "设备"),
    ("upgrade-kit", "the upgrade kit", "升级套件", "parts", "备件"),
    ("iot", "the IoT gateway", "物联网网关", "software", "软件"),
    ("installation", "installation and commissioning", "安装调试", "service", "服务"),
)

# Techniques: id -> ((name, when, script, follow_up) in English, the same in Chinese).
# {x}/{X} is the offering in English (X capitalised), {z} in Chinese; the other fields
# are drawn per objection (see _pb_values).
PB_TECHNIQUES = {
    "ask-what-is-behind": (
        (
            "Ask what is behind it",
            "The objection comes early, before the customer has seen the details.",
            "That's a fair point. Before I answer it: when you say that about {x}, what are you comparing it with?",
            "Is that the only thing holding you back?",
        ),
        (
            "先问清背后的原因",
            "客户在了解细节之前就提出了异议。",
            "您说得有道理。我先了解一下：您说{z}这个问题，是和什么做的比较？",
            "除了这一点，还有其他顾虑吗？",
        ),
    ),
    "break-down-price": (
        (
            "Break the price into parts",
            "One large figure shocks the customer.",
            "Let me split the {money} for {x}: about {share}% is the equipment, the rest is installation, "
            "training and two years of service.",
            "Which of these parts looks out of proportion to you?",
        ),
        (
            "拆分价格",
            "一个大数字让客户吓了一跳。",
            "我把{z}的{money_cn}拆开给您看：大约{share}%是设备，其余是安装、培训和两年服务。",
            "您觉得哪一部分不合理？",
        ),
    ),
    "total-cost": (
        (
            "Compare the total cost",
            "A competitor's price is lower on paper.",
            "Over five years {x} costs less in energy and downtime. Here is the calculation with your own "
            "figures: [table].",
            "Which of these figures would your finance team question?",
        ),
        (
            "算总成本",
            "竞争对手的报价表面上更低。",
            "按五年算，{z}在能耗和停机上更省。这是用贵公司自己的数据算的：[表格]。",
            "财务部会对哪个数字有疑问？",
        ),
    ),
    "reference-visit": (
        (
            "Offer a reference visit",
            "The customer doubts it works in a plant like theirs.",
            "{ref} in {city} runs {x} in a plant much like yours. I can arrange a visit so you hear it from "
            "their maintenance lead, not from me.",
            "Who from your side should come along?",
        ),
        (
            "安排参观样板客户",
            "客户怀疑在他们这样的工厂能不能用好。",
            "{ref_cn}用的就是{z}，工况和贵厂差不多。我可以安排您去现场看看，听听他们设备主管怎么说。",
            "贵公司这边谁一起去比较合适？",
        ),
    ),
    "pilot-first": (
        (
            "Propose a small pilot",
            "A full rollout feels too risky.",
            "What if we start {x} on one line for {weeks} weeks, with success criteria we agree in writing now?",
            "What result would make you extend it to the other lines?",
        ),
        (
            "建议先做小范围试点",
            "全面推广风险太大，客户下不了决心。",
            "我们先在一条线上试{weeks}周{z}，成功标准现在就书面确定，您看怎么样？",
            "达到什么结果，您会愿意推广到其他产线？",
        ),
    ),
    "involve-decision-maker": (
        (
            "Bring the decision maker in",
            "The contact cannot decide alone and is reluctant to say who can.",
            "Who else will look at {x} before it is signed? I'd be glad to prepare a one-page summary for them, "
            "in their terms.",
            "Could we present it together next week?",
        ),
        (
            "请决策人参与",
            "对接人一个人定不了，又不愿说谁能定。",
            "{z}签字之前还有谁要看？我可以按他们关心的角度准备一页纸的摘要。",
            "下周我们一起去汇报，可以吗？",
        ),
    ),
    "dated-next-step": (
        (
            "Agree a dated next step",
            "The conversation ends without a decision.",
            "Let's not leave {x} open-ended: shall I call you on {day} after your internal meeting?",
            "What should I have ready by then?",
        ),
        (
            "约定有日期的下一步",
            "谈话结束了但没有结论。",
            "{z}别就这么放着：您内部开完会，我{day_cn}给您打电话，可以吗？",
            "到时候我需要准备些什么？",
        ),
    ),
    "clarify-criteria": (
        (
            "Clarify the decision criteria",
            "The customer compares offers without saying on what.",
            "To compare {x} fairly: which three criteria matter most to you, and how are they weighted?",
            "May I answer them point by point?",
        ),
        (
            "弄清决策标准",
            "客户在比较报价，却不说比什么。",
            "为了公平地比较{z}：您最看重的三个标准是什么？各占多少权重？",
            "我按这几个标准逐条回复您，好吗？",
        ),
    ),
    "acknowledge-and-fix": (
        (
            "Acknowledge the problem, show the fix",
            "There was a real failure in the past.",
            "You're right, {x} let you down in {year}. Here is what we changed since [root cause, new check], "
            "and the results at other customers.",
            "What would you need to see to trust it again?",
        ),
        (
            "承认问题，说明改进",
            "过去确实出过问题。",
            "您说得对，{year}年{z}确实让您失望了。之后我们做了这些改进：[根本原因、新的检查]，以及在其他客户那里的效果。",
            "您需要看到什么，才能重新信任我们？",
        ),
    ),
    "trade-not-discount": (
        (
            "Trade, don't discount",
            "The customer asks for a lower price and offers nothing in return.",
            "I can move on {x} if we can move on something else too: a {months}-month commitment, or payment "
            "in {days} days instead of 90.",
            "Which of those would work for you?",
        ),
        (
            "交换条件，而不是直接降价",
            "客户要求降价，但不给任何交换条件。",
            "{z}的价格可以谈，但需要交换：比如{months}个月的承诺量，或者付款期从90天缩短到{days}天。",
            "哪一种对您更可行？",
        ),
    ),
    "respect-the-process": (
        (
            "Work within their process",
            "A tender, headquarters or a framework contract decides.",
            "Understood, {x} goes through your procurement process. What can we provide now so that the "
            "specification reflects what your engineers need?",
            "When is the specification written, and by whom?",
        ),
        (
            "尊重客户的流程",
            "由招标、总部或框架协议决定。",
            "明白，{z}要走贵公司的采购流程。现在我们能提供什么，让技术规格反映工程师的真实需求？",
            "技术规格什么时候写？由谁来写？",
        ),
    ),
    "cost-of-waiting": (
        (
            "Show the cost of waiting",
            "There is a real, checkable reason why timing matters.",
            "By your own numbers each month without {x} costs about {money2} in scrap and overtime; the "
            "shutdown in {month} is the next chance to install.",
            "Does that match what your plant manager sees?",
        ),
        (
            "算一算等待的代价",
            "时间确实重要，而且理由可以核实。",
            "按贵公司自己的数据，{z}每晚一个月，废品和加班大约多花{money2_cn}；{month_cn}的停产检修是下一次安装机会。",
            "这和厂长看到的情况一致吗？",
        ),
    ),
}

# (id, stages, (tags en), (tags zh), technique ids, title en, title zh, (aliases en), (aliases zh),
#  stance en, stance zh)
PB_THEMES = (
    (
        "too-expensive",
        ("proposal", "bidding", "negotiation"),
        ("price", "value"),
        ("价格", "价值"),
        ("ask-what-is-behind", "break-down-price", "total-cost", "trade-not-discount"),
        "{X} is too expensive",
        "{z}太贵了",
        ("The price of {x} is too high", "We can't justify the cost of {x}", "{X} costs more than we planned"),
        ("{z}价格太高", "{z}超出预算了", "{z}比我们预计的贵"),
        "Find out what 'expensive' is measured against before defending the price.",
        "先弄清“贵”是和什么比，再谈价格。",
    ),
    (
        "no-budget",
        ("development", "entry", "proposal"),
        ("budget", "timing"),
        ("预算", "时机"),
        ("ask-what-is-behind", "cost-of-waiting", "pilot-first", "involve-decision-maker"),
        "There is no budget for {x} this year",
        "今年没有{z}的预算",
        ("{X} is not in this year's budget", "Budget for {x} is frozen", "Ask again next year about {x}"),
        ("{z}不在今年预算里", "{z}的预算冻结了", "{z}明年再说吧"),
        "A missing budget is often a missing priority: learn who sets it and when.",
        "没有预算往往是没有优先级：弄清谁定预算、什么时候定。",
    ),
    (
        "think-about-it",
        ("entry", "proposal", "negotiation"),
        ("stall", "decision"),
        ("拖延", "决策"),
        ("ask-what-is-behind", "dated-next-step", "involve-decision-maker"),
        "We need to think about {x}",
        "{z}我们再考虑一下",
        ("Let us sleep on {x}", "We'll get back to you on {x}", "Send us something on {x} and we'll look"),
        ("{z}让我们想一想", "{z}回头再联系你", "{z}我们研究一下再说"),
        "Treat it as a request for help: something is unclear or someone else decides.",
        "把它当作求助：有地方没弄清，或者别人说了算。",
    ),
    (
        "competitor-cheaper",
        ("proposal", "bidding", "negotiation"),
        ("competition", "price"),
        ("竞争", "价格"),
        ("clarify-criteria", "total-cost", "reference-visit", "trade-not-discount"),
        "The competitor offers {x} cheaper",
        "别家的{z}更便宜",
        ("We got a lower quote for {x}", "{X} is 15% cheaper elsewhere", "Your competitor beats you on {x}"),
        ("{z}别人报价更低", "{z}别家便宜15%", "竞争对手的{z}更划算"),
        "Compare like with like before talking about price.",
        "先确认比较的是同样的东西，再谈价格。",
    ),
    (
        "current-supplier",
        ("development", "entry"),
        ("competition", "relationship"),
        ("竞争", "关系"),
        ("ask-what-is-behind", "pilot-first", "reference-visit"),
        "We are happy with our current supplier for {x}",
        "{z}我们已经有固定供应商了",
        ("We already have someone for {x}", "No reason to change {x}", "Our supplier for {x} has been fine for years"),
        ("{z}已经有人在做了", "{z}没必要换", "{z}现在的供应商用了很多年了"),
        "Respect the relationship; look for the gap the incumbent leaves.",
        "尊重现有合作，找到现有供应商没覆盖的空白。",
    ),
    (
        "not-my-decision",
        ("entry", "proposal", "bidding"),
        ("decision", "authority"),
        ("决策", "权限"),
        ("involve-decision-maker", "clarify-criteria", "dated-next-step"),
        "I can't decide on {x} alone",
        "{z}不是我一个人能定的",
        ("My boss decides on {x}", "{X} needs approval from above", "The board signs off {x}"),
        ("{z}要领导拍板", "{z}得上面批", "{z}要董事会签字"),
        "Help your contact sell it inside; do not go around them.",
        "帮对接人在内部推动，而不是绕过他。",
    ),
    (
        "bad-timing",
        ("development", "entry", "proposal"),
        ("timing", "stall"),
        ("时机", "拖延"),
        ("cost-of-waiting", "dated-next-step", "pilot-first"),
        "Now is not the right time for {x}",
        "{z}现在时机不对",
        ("Come back about {x} after the audit", "Too busy for {x} right now", "{X} after the peak season"),
        ("{z}等审核完再说", "现在太忙顾不上{z}", "{z}旺季过了再谈"),
        "Ask what would make it the right time; never invent a deadline.",
        "问清什么时候才是合适的时机；绝不编造截止日期。",
    ),
    (
        "send-information",
        ("development", "entry"),
        ("stall", "information"),
        ("拖延", "资料"),
        ("ask-what-is-behind", "clarify-criteria", "dated-next-step"),
        "Just send me some material on {x}",
        "先把{z}的资料发过来看看",
        ("Email me a brochure on {x}", "Send the {x} datasheet first", "I'll read about {x} and call you"),
        ("{z}发个介绍给我", "先发{z}的参数表", "{z}我看完资料再联系你"),
        "Material is fine, but agree what question it should answer.",
        "资料可以发，但先约定它要回答什么问题。",
    ),
    (
        "lead-time",
        ("proposal", "negotiation", "implementation"),
        ("delivery", "timing"),
        ("交期", "时机"),
        ("ask-what-is-behind", "cost-of-waiting", "respect-the-process"),
        "The lead time for {x} is too long",
        "{z}交期太长",
        ("We need {x} sooner", "{X} would arrive too late", "Twelve weeks for {x} is too much"),
        ("{z}要更快到货", "{z}到货太晚了", "{z}十二周太久"),
        "Check the date the customer really needs, and never promise one you cannot keep.",
        "核实客户真正需要的日期，绝不承诺做不到的交期。",
    ),
    (
        "quality-doubts",
        ("entry", "proposal", "implementation"),
        ("quality", "trust"),
        ("质量", "信任"),
        ("acknowledge-and-fix", "reference-visit", "pilot-first"),
        "We had quality problems with {x} before",
        "之前{z}出过质量问题",
        ("{X} failed on us last year", "Your {x} broke down twice", "Quality of {x} was not good enough"),
        ("{z}去年出过故障", "{z}坏过两次", "{z}质量不过关"),
        "Do not argue with the past: own it and show what changed.",
        "不要和过去争辩：承认问题，说明改进。",
    ),
    (
        "too-risky",
        ("proposal", "bidding", "negotiation"),
        ("risk", "decision"),
        ("风险", "决策"),
        ("pilot-first", "reference-visit", "clarify-criteria"),
        "{X} is too risky for us",
        "{z}风险太大",
        ("What if {x} doesn't work", "We can't afford downtime for {x}", "Nobody wants to own {x} if it fails"),
        ("{z}万一不行怎么办", "{z}停机我们承受不起", "{z}出了问题谁负责"),
        "Make the risk small and visible rather than talking it away.",
        "把风险变小、变得可见，而不是用话说没。",
    ),
    (
        "no-need",
        ("development", "entry"),
        ("need", "value"),
        ("需求", "价值"),
        ("ask-what-is-behind", "cost-of-waiting", "reference-visit"),
        "We don't need {x}",
        "我们不需要{z}",
        ("{X} is not a priority", "We manage fine without {x}", "{X} solves nothing for us"),
        ("{z}不是重点", "没有{z}也挺好", "{z}解决不了我们的问题"),
        "Maybe they are right: find out, and leave gracefully if so.",
        "也许客户是对的：弄清楚，如果是真的就体面地离开。",
    ),
    (
        "slow-service",
        ("implementation", "negotiation"),
        ("service", "trust"),
        ("服务", "信任"),
        ("acknowledge-and-fix", "dated-next-step", "reference-visit"),
        "Your service for {x} was slow last time",
        "上次{z}的售后服务太慢",
        ("Nobody came when {x} stopped", "Support for {x} took a week", "Your engineers for {x} are always late"),
        ("{z}停了没人来", "{z}的支持拖了一周", "{z}的工程师总是迟到"),
        "Listen to the whole story first; then commit only to what you control.",
        "先听完整个经过，再只承诺自己能做到的。",
    ),
    (
        "payment-terms",
        ("negotiation",),
        ("payment", "contract"),
        ("付款", "合同"),
        ("trade-not-discount", "respect-the-process", "break-down-price"),
        "We need longer payment terms for {x}",
        "{z}的付款条件要放宽",
        ("We pay {x} at 120 days", "No down payment on {x}", "Split the payment for {x}"),
        ("{z}要月结120天", "{z}不付预付款", "{z}分期付款"),
        "Terms are worth money: trade them, and check credit first.",
        "付款条件就是钱：要交换，并先查信用。",
    ),
    (
        "bigger-discount",
        ("negotiation", "bidding"),
        ("price", "discount"),
        ("价格", "折扣"),
        ("trade-not-discount", "break-down-price", "total-cost"),
        "Give us a bigger discount on {x}",
        "{z}再便宜一点吧",
        ("Another 10% off {x}", "Sharpen your pencil on {x}", "Best and final price for {x}"),
        ("{z}再降10%", "{z}给个实在价", "{z}最后报个底价"),
        "Never give without getting; a discount without reason teaches them to ask again.",
        "不交换就不让步；无理由的折扣只会让客户再要。",
    ),
    (
        "headquarters-decides",
        ("development", "bidding"),
        ("authority", "process"),
        ("权限", "流程"),
        ("respect-the-process", "involve-decision-maker", "reference-visit"),
        "Headquarters decides on {x}",
        "{z}由总部统一采购",
        ("Group procurement buys {x}", "{X} is bought centrally", "We must use the global supplier for {x}"),
        ("{z}集团统一采购", "{z}总部定供应商", "{z}必须用全球供应商"),
        "Find out who at headquarters writes the list, and what the plant can still choose.",
        "弄清总部谁定名单，工厂还能自己选什么。",
    ),
    (
        "must-tender",
        ("bidding",),
        ("process", "tender"),
        ("流程", "招标"),
        ("respect-the-process", "clarify-criteria", "dated-next-step"),
        "{X} has to go to tender",
        "{z}必须走招标流程",
        ("{X} needs three quotes", "Procurement runs a tender for {x}", "{X} goes to public bidding"),
        ("{z}要三家比价", "{z}采购部要招标", "{z}要公开招标"),
        "Be useful before the tender: the specification is decided long before the bids.",
        "招标前就要有价值：技术规格早在投标前就定了。",
    ),
    (
        "do-it-ourselves",
        ("development", "proposal"),
        ("need", "competition"),
        ("需求", "竞争"),
        ("total-cost", "pilot-first", "ask-what-is-behind"),
        "We can do {x} ourselves",
        "{z}我们自己能做",
        ("Our engineers can build {x}", "{X} in-house is cheaper", "We don't need outside help for {x}"),
        ("{z}我们工程师能搞定", "{z}自己做更便宜", "{z}不需要外部帮助"),
        "Respect their skill; compare the full cost, including their engineers' time.",
        "尊重他们的能力；算上工程师的时间再比较总成本。",
    ),
    (
        "too-complex",
        ("proposal", "implementation"),
        ("usability", "risk"),
        ("易用性", "风险"),
        ("pilot-first", "reference-visit", "acknowledge-and-fix"),
        "{X} is too complicated for our people",
        "{z}太复杂了，员工用不来",
        ("Our operators won't learn {x}", "{X} needs too much training", "Nobody here understands {x}"),
        ("{z}操作工学不会", "{z}培训太多", "{z}这里没人懂"),
        "Show it with their own operators, not with a demo expert.",
        "让他们自己的操作工来试，而不是演示专家。",
    ),
    (
        "locked-in-contract",
        ("development", "entry"),
        ("contract", "timing"),
        ("合同", "时机"),
        ("dated-next-step", "respect-the-process", "clarify-criteria"),
        "We are locked into a contract for {x}",
        "{z}的合同还没到期",
        (
            "Our contract for {x} runs two more years",
            "We can't exit the {x} agreement",
            "{X} is under contract until 2028",
        ),
        ("{z}合同还有两年", "{z}的协议退不了", "{z}签到2028年了"),
        "Note the renewal date and be the obvious choice when it comes.",
        "记下续约日期，到时候成为理所当然的选择。",
    ),
    (
        "unclear-roi",
        ("proposal", "negotiation"),
        ("value", "finance"),
        ("价值", "财务"),
        ("total-cost", "cost-of-waiting", "clarify-criteria", "pilot-first"),
        "The payback on {x} is not clear",
        "{z}的投资回报不明确",
        ("Show me the ROI of {x}", "{X} won't pay back in two years", "Finance doesn't see the value of {x}"),
        ("{z}的回报率是多少", "{z}两年回不了本", "财务看不到{z}的价值"),
        "Build the case from their numbers, not from a brochure.",
        "用客户自己的数据算账，而不是宣传册上的数字。",
    ),
    (
        "supplier-too-small",
        ("entry", "proposal", "bidding"),
        ("trust", "risk"),
        ("信任", "风险"),
        ("reference-visit", "acknowledge-and-fix", "involve-decision-maker"),
        "Your company is too small to support {x}",
        "你们公司太小，{z}不放心",
        (
            "Will you still be around to support {x}",
            "{X} needs a bigger partner",
            "You can't serve {x} in all our plants",
        ),
        ("{z}以后谁来维护", "{z}要找大公司", "{z}你们覆盖不了所有工厂"),
        "Answer with facts about support, not with promises.",
        "用服务方面的事实回答，而不是承诺。",
    ),
    (
        "no-references",
        ("entry", "proposal"),
        ("trust", "references"),
        ("信任", "案例"),
        ("reference-visit", "pilot-first", "clarify-criteria"),
        "Nobody in our industry uses your {x}",
        "同行没人用你们的{z}",
        ("Show me a reference for {x}", "{X} is unproven in our sector", "Who else runs {x}"),
        ("{z}有没有案例", "{z}在我们行业没用过", "还有谁在用{z}"),
        "Offer the closest honest reference and say how it differs.",
        "给出最接近的真实案例，并说明差别在哪里。",
    ),
    (
        "integration",
        ("proposal", "implementation"),
        ("technical", "risk"),
        ("技术", "风险"),
        ("clarify-criteria", "pilot-first", "reference-visit"),
        "{X} won't work with our existing systems",
        "{z}跟我们现有系统不兼容",
        ("{X} doesn't talk to our SAP", "Integrating {x} is a nightmare", "Our IT won't allow {x}"),
        ("{z}接不了SAP", "{z}对接太麻烦", "信息中心不同意{z}"),
        "Bring their IT in early and answer in writing.",
        "尽早请信息部门参与，并书面答复。",
    ),
    (
        "just-comparing",
        ("development", "bidding"),
        ("competition", "stall"),
        ("竞争", "拖延"),
        ("clarify-criteria", "ask-what-is-behind", "dated-next-step"),
        "We are only comparing offers for {x}",
        "{z}我们只是先比比价",
        ("Just a quote for {x}, please", "We are benchmarking {x}", "Only a budget price for {x}"),
        ("{z}先报个价", "{z}只是摸摸底", "{z}给个预算价就行"),
        "A price without a conversation is a lost deal: ask what the comparison is for.",
        "只报价不沟通就是丢单：问清比价是为了什么。",
    ),
)

STAGE_ORDER = ("development", "entry", "proposal", "bidding", "negotiation", "implementation")
PB_DAYS = (("Monday", "周一"), ("Tuesday", "周二"), ("Wednesday", "周三"), ("Thursday", "周四"), ("Friday", "周五"))
PB_MONTHS = (
    ("January", "一月"),
    ("April", "四月"),
    ("May", "五月"),
    ("July", "七月"),
    ("August", "八月"),
    ("October", "十月"),
)


def playbook_path(db: str | Path) -> Path:
    """Where build() writes the playbook for a database: `<db>.playbook.yaml`."""
    db = Path(db)
    return db.with_name(f"{db.name}.playbook.yaml")


def playbook_version(seed: int) -> str:
    """The `version:` of the generated playbook (bench.py compares it)."""
    return f"perf-{PLAYBOOK_VERSION}-s{seed}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(items) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def _pb_values(rng: random.Random, offering: tuple) -> dict[str, str]:
    _key, en, zh, _tag_en, _tag_zh = offering
    money = rng.choice((180_000, 250_000, 420_000, 680_000, 1_200_000, 2_400_000))
    money2 = rng.choice((30_000, 45_000, 60_000, 85_000, 120_000))
    day, day_cn = rng.choice(PB_DAYS)
    month, month_cn = rng.choice(PB_MONTHS)
    region = rng.choice(tuple(CN_CITIES))
    return {
        "x": en,
        "X": en[0].upper() + en[1:],
        "z": zh,
        "money": f"{money:,}",
        "money_cn": f"{money / 10_000:g}万元",
        "money2": f"{money2:,}",
        "money2_cn": f"{money2 / 10_000:g}万元",
        "share": str(rng.randint(40, 70)),
        "weeks": str(rng.choice((4, 6, 8, 12))),
        "months": str(rng.choice((6, 12, 24))),
        "days": str(rng.choice((30, 45, 60))),
        "year": str(rng.choice((2023, 2024, 2025))),
        "day": day,
        "day_cn": day_cn,
        "month": month,
        "month_cn": month_cn,
        "ref": f"{rng.choice(EN_PREFIXES)} {rng.choice(EN_INDUSTRIES)[1]}",
        "city": rng.choice(("Stuttgart", "Lyon", "Ohio", "Suzhou", "Penang", "Gothenburg", "Turin", "Osaka")),
        "ref_cn": rng.choice(CN_CITIES[region]) + rng.choice(CN_CORES) + rng.choice(CN_INDUSTRIES)[1],
    }


def playbook_text(seed: int = 1) -> str:
    """The 1,000-objection playbook as YAML text (deterministic for a seed)."""
    rng = random.Random(f"playbook-{seed}")
    pairs = [(theme, offering) for theme in PB_THEMES for offering in PB_OFFERINGS][:N_OBJECTIONS]
    rng.shuffle(pairs)
    out = [
        "# Generated by tests/perf/generate.py: a large objection playbook for performance work.",
        f"name: {_q(f'Perf playbook, {len(pairs):,} objections')}",
        "language: zh_CN and en",
        f"version: {_q(playbook_version(seed))}",
        "owner: tests/perf",
        "objections:",
    ]
    for theme, offering in pairs:
        (
            tid,
            stages,
            tags_en,
            tags_zh,
            technique_ids,
            title_en,
            title_zh,
            aliases_en,
            aliases_zh,
            stance_en,
            stance_zh,
        ) = theme
        zh = rng.random() < 0.5
        lang = 1 if zh else 0
        values = _pb_values(rng, offering)
        title = (title_zh if zh else title_en).format(**values)
        own, other = (aliases_zh, aliases_en) if zh else (aliases_en, aliases_zh)
        aliases = [a.format(**values) for a in rng.sample(own, rng.randint(1, len(own)))]
        if rng.random() < 0.3:
            aliases.append(rng.choice(other).format(**values))
        out.append(f"  - id: {tid}-{offering[0]}")
        out.append(f"    title: {_q(title)}")
        if aliases:
            out.append(f"    aliases: {_flow(aliases)}")
        if rng.random() < 0.9:  # some come up in any stage
            out.append(f"    stages: [{', '.join(s for s in STAGE_ORDER if s in stages)}]")
        tags = list(tags_zh if zh else tags_en)
        tags.append(offering[4] if zh else offering[3])
        out.append(f"    tags: {_flow(dict.fromkeys(tags))}")
        out.append(f"    stance: {_q(stance_zh if zh else stance_en)}")
        out.append("    techniques:")
        chosen = rng.sample(technique_ids, rng.randint(2, min(4, len(technique_ids))))
        for key in chosen:
            name, when, script, follow_up = PB_TECHNIQUES[key][lang]
            out.append(f"      - id: {key}")
            out.append(f"        name: {_q(name)}")
            out.append(f"        when: {_q(when)}")
            out.append(f"        script: {_q(script.format(**values))}")
            out.append(f"        follow_up: {_q(follow_up)}")
    return "\n".join(out) + "\n"


def build_playbook(path: str | Path, seed: int = 1) -> dict:
    """Write the playbook to `path` and check that saletui loads it without a single error
    (saletui.playbook.load.load_file; AssertionError otherwise). Returns the objection
    count and the seconds taken (generating, checking)."""
    from saletui.playbook.load import load_file

    path = Path(path)
    start = time.perf_counter()
    text = playbook_text(seed)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    generated = time.perf_counter()
    try:
        playbook, errors = load_file(tmp)
        assert not errors, f"the generated playbook has {len(errors)} error(s), first: {errors[0]}"
        assert playbook is not None and len(playbook.objections) == N_OBJECTIONS, "wrong number of objections"
        techniques = [len(o.techniques) for o in playbook.objections]
        assert min(techniques) >= 2 and max(techniques) <= 4, "2-4 techniques each"
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    end = time.perf_counter()
    return {
        "objections": len(playbook.objections),
        "techniques": sum(techniques),
        "bytes": len(text.encode()),
        "seconds": end - start,
        "generate_seconds": generated - start,
        "check_seconds": end - generated,
    }


def _process_and_playbooks() -> tuple[tuple, tuple]:
    """The shipped process files and default playbooks, (Chinese, English), as saletui reads them."""
    from saletui.playbook.load import load_file
    from saletui.process.load import builtin_path, load_process

    processes = (load_process(builtin_path("zh_CN")), load_process(builtin_path("en")))
    playbooks = []
    for name in ("zh", "en"):
        playbook, errors = load_file(builtin_path("en").parent / "playbooks" / f"{name}.yaml")
        if errors:
            raise RuntimeError(f"the built-in playbook {name}.yaml has errors: {errors[0]}")
        playbooks.append(playbook)
    return processes, tuple(playbooks)


def _insert(model, fields: tuple[str, ...], rows: list) -> None:
    """Bulk insert in chunks (each chunk one INSERT statement, well under SQLite's limits)."""
    columns = [getattr(model, name) for name in fields]
    size = max(1, 16_000 // len(fields))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i : i + size], fields=columns).execute()


def build(
    path: str | Path,
    seed: int = 1,
    *,
    today: dt.date = REFERENCE_DAY,
    force: bool = False,
    playbook: bool = True,
    order_lines: int = N_ORDER_LINES,
    bulk_summaries: bool = True,
) -> dict:
    """Create the large database at `path`; return the row counts and the seconds taken.
    With `playbook` (the default) also write the 1,000-objection playbook beside it
    (playbook_path; build_playbook checks that it loads without an error).

    Refuses (FileExistsError) to overwrite an existing file unless `force`.
    """
    from saletui.store.db import close_database, open_database
    from saletui.store.models import (
        Account,
        Deal,
        DealContact,
        Milestone,
        Person,
        Visit,
        VisitAttendee,
        VisitItem,
        VisitObjection,
        database,
    )

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
    gen.build_milestones(*_process_and_playbooks())
    gen.build_deal_contacts()
    generated = time.perf_counter()

    open_database(path)
    try:
        with database.atomic():
            _insert(Account, ACCOUNT_FIELDS, gen.accounts)
            _insert(Person, PERSON_FIELDS, gen.people)
            _insert(Deal, DEAL_FIELDS, gen.deals)
            _insert(Visit, VISIT_FIELDS, gen.visits)
            _insert(VisitAttendee, ATTENDEE_FIELDS, gen.attendees)
            _insert(Milestone, MILESTONE_FIELDS, gen.milestones)
            _insert(VisitItem, ITEM_FIELDS, gen.items)
            _insert(VisitObjection, OBJECTION_FIELDS, gen.objections)
            _insert(DealContact, DEAL_CONTACT_FIELDS, gen.deal_contacts)
        orders = (
            insert_order_lines(gen.accounts, seed, today, order_lines, bulk_summaries=bulk_summaries)
            if order_lines
            else None
        )
    finally:
        close_database()
    inserted = time.perf_counter()
    # Open it once more the way saletui does, so that whatever the store derives on
    # opening (e.g. values a migration leaves for the application to fill) is done now
    # and not during the first measured start.
    open_database(path)
    try:
        counts = {
            model.__name__: model.select().count()
            for model in (
                Account,
                Person,
                Deal,
                DealContact,
                Visit,
                VisitAttendee,
                Milestone,
                VisitItem,
                VisitObjection,
            )
        }
        counts["visits with a checklist"] = VisitItem.select(VisitItem.visit).distinct().count()
        counts["OrderLine"] = database.execute_sql("SELECT count(*) FROM order_line").fetchone()[0]
        counts["sales_month rows"] = database.execute_sql("SELECT count(*) FROM sales_month").fetchone()[0]
    finally:
        close_database()  # the last connection: SQLite checkpoints and removes the -wal file
    end = time.perf_counter()
    result = {
        "counts": counts,
        "seconds": end - start,
        "generate_seconds": generated - start,
        "insert_seconds": inserted - generated,
        "reopen_seconds": end - inserted,
        "orders": orders,
    }
    if playbook:
        result["playbook"] = build_playbook(playbook_path(path), seed)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="database file to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--order-lines", type=int, default=N_ORDER_LINES, help=f"order lines to add (default {N_ORDER_LINES:,})"
    )
    parser.add_argument(
        "--line-by-line",
        action="store_true",
        help="let the summary triggers run for every order line (as an import does) instead of summing in bulk",
    )
    args = parser.parse_args(argv)
    try:
        result = build(
            args.path,
            args.seed,
            force=args.force,
            order_lines=args.order_lines,
            bulk_summaries=not args.line_by_line,
        )
    except FileExistsError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {n:,}" for name, n in result["counts"].items())
    print(f"{args.path}: {counts}")
    print(
        f"took {result['seconds']:.1f} s (generate {result['generate_seconds']:.1f} s, "
        f"insert {result['insert_seconds']:.1f} s, first open {result['reopen_seconds']:.1f} s)"
    )
    if result["orders"]:
        o = result["orders"]
        print(
            f"order lines: {o['lines']:,} generated in {o['generate_seconds']:.1f} s, inserted in "
            f"{o['insert_seconds']:.1f} s"
            + (
                f", summaries built in bulk in {o['summary_seconds']:.1f} s"
                if o["bulk_summaries"]
                else " (the triggers filling the summaries line by line)"
            )
        )
    pb = result["playbook"]
    print(
        f"{playbook_path(args.path)}: {pb['objections']:,} objections, {pb['techniques']:,} techniques, "
        f"{pb['bytes'] / 1e6:.1f} MB; loads without errors (written in {pb['generate_seconds']:.2f} s, "
        f"checked in {pb['check_seconds']:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Demo data: a realistic book of key accounts to try saletui with.

`build_demo` fills the open database with about fifty accounts (Chinese and English),
their buying organisations, deals at every stage and two years of visits. Everything is
derived from one seeded `random.Random` and from `today`, so the same seed and date give
the same data. It writes in one transaction with bulk inserts and explicit ids.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata

from peewee import fn

from saletui.process.schema import Process
from saletui.store.milestones import apply_template
from saletui.store.models import Account, Deal, Milestone, Person, Visit, VisitAttendee, VisitItem, database
from saletui.store.people import refresh_missing_warning_counts

# --- our own staff -------------------------------------------------------------------

REPS_CN = ("李娜", "张伟", "王磊")
REPS_EN = ("Sarah Chen", "Tom Becker")
# Engineers, quality people and executives who own relationships beyond purchasing.
STAFF_CN = ("刘洋", "赵敏")
STAFF_EN = ("Mark Weber", "Anna Lindqvist")
EXECUTIVES = ("周明", "Julia Hoffmann")

# --- the accounts ----------------------------------------------------------------------
# name | language | industry | region | class | tier | e-mail domain | phone prefix
# class: EI..EIV (customer), PI..PIV (prospect), P (prospect, not rated), F (future)

_ACCOUNTS = """
华东精密机械有限公司|cn|机械制造|华东|EI|top5|hdjm.com.cn|0512
深圳海川电子科技有限公司|cn|电子制造|华南|EII|top5|haichuan-tech.cn|0755
北京中科智联信息技术有限公司|cn|信息技术|华北|PI|new5|zkzl.com.cn|010
苏州恒瑞汽车零部件有限公司|cn|汽车零部件|华东|EI||hengrui-auto.com|0512
广州南粤食品集团|cn|食品饮料|华南|EIII|middle5|nanyuefood.com|020
成都天府新能源股份有限公司|cn|新能源|西南|PII|new5|tfne.com.cn|028
武汉长江光电有限公司|cn|光电|华中|EIII||cjgd.cn|027
青岛海润化工有限公司|cn|化工|华北|EIV||hairunchem.com|0532
宁波东海模具有限公司|cn|模具|华东|PIII||dhmould.cn|0574
天津滨海物流集团|cn|物流|华北|EII||bhlogistics.cn|022
杭州云帆医疗器械有限公司|cn|医疗器械|华东|PI||yunfanmed.com|0571
重庆山城摩托车制造有限公司|cn|摩托车|西南|EIV||scmoto.com.cn|023
西安秦川航空部件有限公司|cn|航空航天|西北|PII||qcaero.cn|029
东莞粤达塑胶制品厂|cn|塑胶制品|华南|EIII|middle5|yueda-plastic.cn|0769
无锡锡华半导体有限公司|cn|半导体|华东|PI|new5|xihuasemi.com|0510
沈阳北方重工机械有限公司|cn|重型机械|东北|EIV||bfzg.com.cn|024
厦门鹭岛纺织有限公司|cn|纺织|华南|PIV||ludaotex.cn|0592
合肥科大智能装备有限公司|cn|智能装备|华东|PIII||kdzn.com.cn|0551
长沙湘江工程机械有限公司|cn|工程机械|华中|EI|top5|xjcm.com.cn|0731
佛山顺德家电集团|cn|家电|华南|EII||sdjd-group.com|0757
郑州中原粮油集团|cn|粮油加工|华中|PIV||zylygroup.cn|0371
大连星海船舶配套有限公司|cn|船舶配套|东北|F||xhmarine.cn|0411
南京金陵制药有限公司|cn|制药|华东|PII||jlpharma.com.cn|025
昆明云岭烟草机械有限公司|cn|专用机械|西南|F||ylmach.cn|0871
上海浦江检测技术有限公司|cn|检测服务|上海|P||pjtest.com.cn|021
珠海格锐电气有限公司|cn|电气设备|华南|EIII||gerui-elec.com|0756
Northwind Logistics GmbH|en|Logistics|EMEA|EI|top5|northwind-logistics.de|+49 40
Contoso Precision Ltd|en|Precision machining|EMEA|EII|middle5|contoso-precision.co.uk|+44 121
Fabrikam Industries Inc.|en|Industrial automation|North America|EI||fabrikam.com|+1 312
Adventure Works Cycles|en|Bicycles|North America|EIII||adventure-works.com|+1 503
Tailspin Aerospace Components|en|Aerospace|North America|PI||tailspin-aero.com|+1 316
Litware Semiconductor BV|en|Semiconductors|EMEA|PII|new5|litware-semi.nl|+31 40
Bluewater Marine Systems|en|Marine equipment|APAC|EIV||bluewater-marine.sg|+65 6
Alpine Dairy AG|en|Food & dairy|EMEA|EIII|middle5|alpine-dairy.ch|+41 31
Kestrel Medical Devices Ltd|en|Medical devices|EMEA|PI||kestrelmed.ie|+353 91
Redwood Packaging Co.|en|Packaging|North America|PIII||redwoodpack.com|+1 916
Harbor Point Chemicals|en|Chemicals|Shanghai|EIV||harborpointchem.com|+86 21
Meridian Auto Parts (Suzhou)|en|Automotive|Suzhou|EI|top5|meridian-auto.cn|+86 512
Ironbridge Rail Services|en|Rail|EMEA|PII||ironbridge-rail.co.uk|+44 1952
Sunrise Solar Pty Ltd|en|Solar|APAC|PIII||sunrisesolar.com.au|+61 8
Granite Mining Equipment|en|Mining|APAC|PIV||granite-mining.com.au|+61 7
Polaris Cold Chain Oy|en|Cold-chain logistics|EMEA|F||polaris-coldchain.fi|+358 9
Vantage Robotics Inc.|en|Robotics|North America|PI|new5|vantage-robotics.com|+1 617
Oakridge Pharma Ltd|en|Pharmaceuticals|EMEA|PII||oakridgepharma.co.uk|+44 1865
Summit Textiles S.A.|en|Textiles|EMEA|PIV||summit-textiles.pt|+351 22
Copperleaf Electric|en|Electrical equipment|North America|EII||copperleaf-electric.com|+1 414
[bold]Markup & Sons[/]|en|Hardware distribution|EMEA|EIII||markupandsons.co.uk|+44 161
Café Nova ☕|en|Food service|Shanghai|PIII||cafenova.cn|+86 21
Nordlicht Windkraft GmbH|en|Wind energy|EMEA|F||nordlicht-wind.de|+49 471
Pacific Rim Electronics Pte Ltd|en|Electronics|APAC|EII|middle5|pacificrim-elec.sg|+65 6
Westbrook Foods plc|en|Food processing|EMEA|P||westbrookfoods.co.uk|+44 113
Atlas Heavy Lift SE|en|Cranes & lifting|EMEA|PIV||atlas-heavylift.eu|+49 203
"""

_AXES = {"I": ("high", "high"), "II": ("high", "low"), "III": ("low", "high"), "IV": ("low", "low")}

# --- account texts -----------------------------------------------------------------------

_EXCLUDED_CHANNELS = {
    "cn": (
        "海外工厂由德国总部统一采购；售后备件走京东工业品",
        "国企集采平台部分我们未入围",
        "进口设备由外资代理商直供",
        "小额耗材走电商平台，我们不参与",
        "华北基地由本地经销商独家供货",
    ),
    "en": (
        "Spare parts bought via Amazon Business; we are not listed there",
        "Group framework agreement with a competitor covers the US plants",
        "Tools for the Polish site sourced locally by the plant",
        "Retrofit work given to the OEM's own service arm",
        "Consumables through a catalogue distributor",
    ),
}
_CREDIT = {
    "cn": (
        "信用额度300万元",
        "信用额度100万元，超额需预付",
        "信用额度500万元，已投保信用险",
        "暂无授信，款到发货",
        "信用额度50万元",
    ),
    "en": (
        "Credit limit EUR 250k",
        "Credit limit USD 500k, insured",
        "Credit limit GBP 100k",
        "No credit line yet: prepayment",
        "Credit limit EUR 1M, reviewed yearly",
    ),
}
_PAYMENT = {
    "cn": ("月结60天", "月结90天，银行承兑汇票", "月结30天", "货到验收后45天付款", "30%预付款，70%验收后付清"),
    "en": ("Net 45", "Net 30", "Net 60, 2% 10", "Net 90 (group policy)", "30% down payment, balance on acceptance"),
}
_RULES = {
    "cn": (
        "寄售库存：我方在客户仓库保留两周用量",
        "年度框架协议价格，每年一月调价",
        "签署质量保证协议，新件需提交PPAP",
        "集成供应：按看板每日两次配送",
        "指定承运商顺丰，签收单需回传",
        "每季度为维修班组提供一次现场培训",
        "包装需使用可回收周转箱",
        "紧急订单24小时内发货",
    ),
    "en": (
        "Consignment stock: two weeks of usage held in their warehouse",
        "Contract pricing under an annual framework, reviewed each January",
        "Quality plan signed; PPAP level 3 for new parts",
        "Integrated supply: kanban deliveries twice a day",
        "Their nominated carrier only; proof of delivery within 24 h",
        "Quarterly on-site training for the maintenance crew",
        "Returnable packaging required",
        "Purchasing card accepted for orders under 5k",
    ),
}
_PROFILE = {
    "cn": (
        "{year}年成立的民营企业，创始人仍任董事长，计划三年内上市。",
        "外资控股（德方占股{share}%），重大采购需总部批准。",
        "国有控股企业，采购须走公开招标，决策周期长。",
        "主营市场年增长约{growth}%，国内份额约{share}%，正在开拓东南亚市场。",
        "前五大客户以整车厂为主，价格年降压力约3%，毛利被压缩。",
        "主要竞争对手在价格上很激进，客户更看重交期与服务响应。",
        "订单到交付周期约{weeks}周，旺季（三、四季度）经常加急。",
        "技术支持需求高：希望我方工程师驻厂参与调试。",
        "新产品设计周期约{months}个月，我们需要在设计阶段就介入选型。",
        "正在推行供应商整合，计划把同类供应商从五家减到两家。",
        "特殊要求：每批次需附检验报告，电子对账走SRM平台。",
        "付款记录良好，从未逾期；但集团资金偏紧，倾向延长账期。",
        "关键工序是热处理和精加工，一旦停线每小时损失约20万元。",
    ),
    "en": (
        "Family-owned since {year}; second generation now runs the business.",
        "Part of a listed group ({share}% of group revenue); capex above 1M needs board approval.",
        "Private-equity owned since a buyout; focus on margin and cash.",
        "Their market grows about {growth}% a year; share around {share}%; expanding into Eastern Europe.",
        "Top 5 customers are large retailers; strong price pressure, margins down two points.",
        "Main competitor undercuts on price; they value uptime and service response more.",
        "Order-to-delivery cycle about {weeks} weeks; seasonal peak before Christmas.",
        "High technical support needs: want an application engineer on site at start-up.",
        "Design cycle about {months} months; we must be in at specification stage.",
        "Running a supplier-reduction programme: from five vendors to two per category.",
        "Special requirements: proof of delivery, EDI ordering, labelled returnable crates.",
        "Creditworthy, pays on time; group treasury pushes for longer terms.",
        "Critical part of their operation is the packaging line; downtime costs ~EUR 15k/hour.",
    ),
}
_NEXT_STEPS = {
    "cn": (
        "发送二期方案报价",
        "约技术总监做方案交流",
        "跟进样品测试结果",
        "确认招标时间表",
        "安排高层互访",
        "提交年度框架协议续签稿",
        "首次电话联系采购经理",
        "回访售后问题处理情况",
    ),
    "en": (
        "Send the phase 2 quotation",
        "Book a technical workshop with the CTO",
        "Chase the sample test results",
        "Confirm the tender timetable",
        "Arrange an executive meeting",
        "Send the framework renewal draft",
        "First call to the purchasing manager",
        "Check the service issue is closed",
    ),
}

# --- deals ---------------------------------------------------------------------------------

_DEAL_TITLES = {
    "cn": (
        "MES系统升级二期",
        "二期产线自动化改造",
        "数控加工中心采购",
        "{year}年度备件框架协议",
        "仓储物流自动化项目",
        "质量追溯系统",
        "能源管理系统",
        "设备预测性维护试点",
        "新厂房电气配套",
        "焊装线机器人集成",
        "ERP与WMS集成",
        "洁净车间改造",
        "视觉检测设备采购",
        "空压站节能改造",
        "{year}年度刀具供应协议",
        "售后服务合同续签",
    ),
    "en": (
        "MES upgrade phase 2",
        "Warehouse automation retrofit",
        "{year} spare parts framework",
        "Predictive maintenance pilot",
        "Line 3 robotic welding cell",
        "Vision inspection rollout",
        "Energy monitoring system",
        "Cleanroom expansion",
        "ERP-WMS integration",
        "Packaging line upgrade",
        "Cold store racking",
        "Service contract renewal {year}",
        "Compressed air savings programme",
        "New plant electrical package",
        "Quality traceability system",
        "Tooling supply agreement {year}",
    ),
}
_WON = {
    "cn": (
        "综合成本最优，技术方案获技术部认可",
        "交期承诺最短，教练在评标会上力挺我们",
        "老客户续约，服务口碑好",
        "样机测试良率领先竞争对手两个百分点",
    ),
    "en": (
        "Best total cost of ownership; engineering preferred our design",
        "Shortest lead time; our coach argued for us in the evaluation",
        "Renewal on the strength of service response",
        "Pilot results beat the competitor on yield",
    ),
}
_LOST = {
    "cn": (
        "竞争对手报价低15%，采购坚持最低价中标",
        "项目预算被砍，推迟到明年",
        "决策人更换，新领导带来原有供应商",
        "技术参数被竞争对手锁定，我们介入太晚",
    ),
    "en": (
        "Lost on price: competitor 15% cheaper, procurement chose lowest bid",
        "Budget frozen; project postponed to next year",
        "New decision maker brought in his previous supplier",
        "Specification written around the competitor; we came in too late",
    ),
}

# --- people ----------------------------------------------------------------------------------

_SURNAMES = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
    ("梁", "liang"),
    ("宋", "song"),
    ("郑", "zheng"),
    ("谢", "xie"),
    ("韩", "han"),
    ("唐", "tang"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
)
_GIVEN = (
    ("建国", "jianguo"),
    ("志强", "zhiqiang"),
    ("秀英", "xiuying"),
    ("海燕", "haiyan"),
    ("明", "ming"),
    ("静", "jing"),
    ("磊", "lei"),
    ("伟", "wei"),
    ("芳", "fang"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("超", "chao"),
    ("俊峰", "junfeng"),
    ("晓东", "xiaodong"),
    ("丽华", "lihua"),
    ("国强", "guoqiang"),
    ("文博", "wenbo"),
    ("思远", "siyuan"),
    ("雪梅", "xuemei"),
    ("宏伟", "hongwei"),
    ("春生", "chunsheng"),
    ("佳怡", "jiayi"),
    ("立新", "lixin"),
    ("慧敏", "huimin"),
    ("永刚", "yonggang"),
    ("鹏", "peng"),
    ("婷", "ting"),
    ("凯", "kai"),
)
_FIRST = (
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
)
_LAST = (
    "Müller",
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
)

# department key -> language -> (department name, level-2 titles, level-3 titles, level-4 titles)
_DEPTS = {
    "purchasing": {
        "cn": ("采购部", ("采购总监", "供应链副总裁"), ("采购经理", "战略采购经理"), ("采购专员", "采购工程师")),
        "en": (
            "Procurement",
            ("Head of Procurement", "VP Supply Chain"),
            ("Purchasing Manager", "Strategic Sourcing Manager"),
            ("Buyer", "Senior Buyer"),
        ),
    },
    "engineering": {
        "cn": ("技术部", ("技术总监", "总工程师"), ("工程部经理", "研发经理"), ("工艺工程师", "设备工程师")),
        "en": (
            "Engineering",
            ("CTO", "Engineering Director"),
            ("Engineering Manager", "R&D Manager"),
            ("Process Engineer", "Maintenance Engineer"),
        ),
    },
    "production": {
        "cn": ("生产部", ("生产副总", "运营总监"), ("厂长", "生产经理"), ("车间主任", "生产计划员")),
        "en": (
            "Operations",
            ("VP Operations", "Operations Director"),
            ("Plant Manager", "Production Manager"),
            ("Shift Supervisor", "Production Planner"),
        ),
    },
    "quality": {
        "cn": ("质量部", ("质量总监",), ("质量经理", "供应商质量经理"), ("质量工程师", "检验主管")),
        "en": (
            "Quality",
            ("Quality Director",),
            ("QA Manager", "Supplier Quality Manager"),
            ("Quality Engineer", "Inspection Lead"),
        ),
    },
    "finance": {
        "cn": ("财务部", ("财务总监",), ("财务经理",), ("会计", "应付账款专员")),
        "en": (
            "Finance",
            ("CFO", "Finance Director"),
            ("Finance Manager", "Controller"),
            ("Accountant", "Accounts Payable Clerk"),
        ),
    },
    "it": {
        "cn": ("信息中心", ("信息中心主任", "CIO"), ("IT经理",), ("系统管理员", "MES工程师")),
        "en": ("IT", ("CIO", "IT Director"), ("IT Manager",), ("Systems Administrator", "MES Engineer")),
    },
}
_TOP = {
    "cn": ("总经办", ("总经理", "董事长兼总经理")),
    "en": ("Management", ("Managing Director", "CEO", "General Manager")),
}
_ASSISTANT = {"cn": "总经理助理", "en": "Executive Assistant to the CEO"}
_ROLE = {
    "purchasing": "procurement",
    "engineering": "technical-evaluator",
    "production": "user",
    "quality": "technical-evaluator",
    "finance": "economic-buyer",
    "it": "technical-evaluator",
}
_INTERESTS = {
    "cn": (
        "羽毛球",
        "钓鱼",
        "马拉松",
        "喝茶、收藏紫砂壶",
        "摄影",
        "高尔夫",
        "孩子明年高考，关心教育",
        "自驾游",
        "围棋",
        "健身",
    ),
    "en": (
        "Sailing",
        "Road cycling",
        "Football (season ticket)",
        "Wine",
        "Hiking in the Alps",
        "Chess",
        "Golf",
        "Marathons",
        "Jazz",
        "Kids' football coach",
    ),
}
_PAINS = {
    "purchasing": {
        "cn": ("年度降本指标5%压力大", "供应商交期不稳定，经常被生产部投诉", "供应商太多，管理成本高"),
        "en": (
            "Must save 5% on spend this year",
            "Unreliable supplier lead times; operations complain",
            "Too many vendors to manage",
        ),
    },
    "engineering": {
        "cn": ("新线调试周期太长", "设备故障率高，备件难找", "人手不足，项目排不过来"),
        "en": (
            "Start-up of new lines takes too long",
            "Breakdowns and hard-to-find spares",
            "Too few engineers for the project load",
        ),
    },
    "production": {
        "cn": ("OEE只有65%，老板盯得紧", "旺季产能不够，加班严重", "换型时间太长"),
        "en": ("OEE stuck at 65%", "Not enough capacity at peak season", "Changeovers take too long"),
    },
    "quality": {
        "cn": ("客户投诉增多，面临索赔", "来料不良率偏高", "审核频繁，文件工作量大"),
        "en": ("Rising customer complaints and claims", "Incoming defect rate too high", "Audit paperwork overload"),
    },
    "finance": {
        "cn": ("现金流紧张，希望延长账期", "投资回报要在两年内看得见", "预算审批越来越严"),
        "en": (
            "Cash is tight; wants longer terms",
            "Needs payback within two years",
            "Capex approvals getting stricter",
        ),
    },
    "it": {
        "cn": ("系统孤岛，数据对不上", "网络安全检查压力大", "老系统厂商不再支持"),
        "en": (
            "Siloed systems, data never matches",
            "Cyber-security audit pressure",
            "Legacy system out of vendor support",
        ),
    },
    "mgmt": {
        "cn": ("利润率下滑，需要找到新增长点", "上市前要把管理做规范", "核心人员流失"),
        "en": ("Margins falling; needs new growth", "Board wants a leaner operation", "Losing key people"),
    },
}
_GOOD_SUPPLIER = {
    "cn": ("响应快，出问题当天到现场", "价格透明，不玩花样", "懂我们的工艺，能提改进建议", "交期准，文件齐全"),
    "en": (
        "Responds the same day when something breaks",
        "Transparent pricing, no surprises",
        "Understands our process and suggests improvements",
        "Delivers on time with complete paperwork",
    ),
}
_RESPONSIBILITY = {
    "purchasing": {"cn": "负责询价、比价和合同谈判", "en": "Runs the RFQ and negotiates the contract"},
    "engineering": {
        "cn": "制定技术规格，主导技术评标",
        "en": "Writes the specification and leads the technical evaluation",
    },
    "production": {"cn": "设备最终使用方，负责验收", "en": "End user of the equipment; signs off acceptance"},
    "quality": {"cn": "供应商审核与来料质量", "en": "Supplier audits and incoming quality"},
    "finance": {"cn": "审批预算与付款", "en": "Approves the budget and payments"},
    "it": {"cn": "系统集成与数据接口", "en": "System integration and data interfaces"},
    "mgmt": {"cn": "最终拍板", "en": "Final sign-off"},
    "assistant": {"cn": "安排总经理日程", "en": "Keeps the CEO's diary"},
}
_ATTITUDES = ("mentor", "supporter", "neutral", "non-supporter", "opponent")
_COVERAGE = ("unknown", "none", "brief", "multiple", "in-depth")

# --- visits ---------------------------------------------------------------------------------

_PURPOSES = ("care", "information", "progress", "service", "intelligence")
_VISIT_TEXT = {
    # purpose -> language -> (objective, outcome, debrief, next step) options
    "care": {
        "cn": (
            (
                "节前拜访{p}，维系关系",
                "{p}对上季度服务满意，提到明年有扩产计划",
                "关系稳定，可以请{p}引荐技术部",
                "年后约技术部交流",
            ),
            ("请{p}吃饭，了解近况", "{p}透露公司在调整组织架构", "要尽快摸清新架构下谁拍板", "整理最新组织结构图"),
        ),
        "en": (
            (
                "Courtesy visit to {p} before the holidays",
                "{p} is happy with last quarter's service; mentions expansion next year",
                "Relationship solid; ask {p} to introduce us to engineering",
                "Book a meeting with engineering",
            ),
            (
                "Lunch with {p} to catch up",
                "{p} hinted at a reorganisation",
                "Need to learn who decides under the new structure",
                "Update the org chart",
            ),
        ),
    },
    "information": {
        "cn": (
            (
                "向{p}介绍新一代产品及两个成功案例",
                "{p}对节能数据很感兴趣，索要详细资料",
                "技术认可度高，价格是下一关",
                "寄送案例资料和样品",
            ),
            (
                "参加客户技术交流会",
                "现场演示效果好，{p}提出三个技术问题",
                "问题都能解决，需要工程师书面答复",
                "一周内回复技术澄清",
            ),
        ),
        "en": (
            (
                "Present the new generation and two reference cases to {p}",
                "{p} keen on the energy figures, asked for details",
                "Technically convinced; price is the next hurdle",
                "Send case studies and a sample",
            ),
            (
                "Technical workshop at their site",
                "Demo went well; {p} raised three technical questions",
                "All solvable; engineering must answer in writing",
                "Send written clarifications within a week",
            ),
        ),
    },
    "progress": {
        "cn": (
            (
                "与{p}确认项目预算和决策流程",
                "预算已批，最终由总经理拍板，{p}负责技术评估",
                "BANT基本清楚，下一步影响采购标准",
                "提交技术方案初稿",
            ),
            ("推进方案评审", "{p}同意把我们的关键参数写进技术规格", "里程碑达成：采购标准已影响", "准备投标文件"),
            ("商务谈判第二轮", "价格差距缩小到3%，付款方式待定", "对方希望月结90天，需要财务审批", "内部申请特殊账期"),
        ),
        "en": (
            (
                "Confirm budget and decision process with {p}",
                "Budget approved; MD signs, {p} leads the technical evaluation",
                "BANT mostly clear; next influence the criteria",
                "Send the first proposal draft",
            ),
            (
                "Proposal review",
                "{p} agreed to put our key specs into the requirements",
                "Milestone reached: criteria influenced",
                "Prepare the bid",
            ),
            (
                "Second negotiation round",
                "Price gap down to 3%; payment terms open",
                "They want Net 90; needs our finance approval",
                "Get internal approval for terms",
            ),
        ),
    },
    "service": {
        "cn": (
            (
                "处理上月交付延迟投诉",
                "{p}接受了补货计划，要求每周通报",
                "投诉已控制，但要防止再次发生",
                "每周五发送交付状态",
            ),
            ("现场解决设备异常", "故障已排除，{p}要求增加一次培训", "使用阶段进入学习期，要密切跟进", "安排操作培训"),
        ),
        "en": (
            (
                "Handle last month's late-delivery complaint",
                "{p} accepted the recovery plan, wants weekly updates",
                "Contained, but must not happen again",
                "Send delivery status every Friday",
            ),
            (
                "On-site fix of a machine fault",
                "Fault cleared; {p} asked for more operator training",
                "They are in the learning phase: follow up closely",
                "Schedule operator training",
            ),
        ),
    },
    "intelligence": {
        "cn": (
            (
                "了解竞争对手动向",
                "{p}说竞争对手报价低10%，但交期长",
                "我们的优势在交期和服务，不必拼价格",
                "准备总成本对比表",
            ),
            ("打听客户内部人事变动", "采购经理下月调任，{p}可能接任", "要提前和{p}建立关系", "约{p}单独交流"),
        ),
        "en": (
            (
                "Learn what the competition is doing",
                "{p} says the competitor is 10% cheaper but slower",
                "Our edge is lead time and service; do not fight on price",
                "Prepare a total-cost comparison",
            ),
            (
                "Find out about internal changes",
                "Purchasing manager moves next month; {p} may take over",
                "Build the relationship with {p} early",
                "One-to-one meeting with {p}",
            ),
        ),
    },
}
_PURPOSES_PROSPECT = ("care", "information", "progress", "intelligence")
_KINDS = ("visit", "call", "meeting", "email")


def _progress_text(lang: str, stage: int) -> tuple[str, str, str, str]:
    """The deal-progress texts that fit a stage: qualifying, criteria, negotiating."""
    options = _VISIT_TEXT["progress"][lang]
    return options[0] if stage <= 2 else options[1] if stage <= 4 else options[2]


_KIND_WEIGHTS = (45, 25, 15, 15)


def _ascii(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: Müller -> mueller, O'Brien -> obrien."""
    text = text.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text)


def _chunks(rows: list[dict], model) -> None:
    """Bulk insert in chunks that stay under SQLite's variable limit."""
    if not rows:
        return
    size = max(1, 900 // len(rows[0]))
    for i in range(0, len(rows), size):
        model.insert_many(rows[i : i + size]).execute()


def _next_id(model) -> int:
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


class _Builder:
    def __init__(self, today: dt.date, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.accounts: list[dict] = []
        self.people: list[dict] = []
        self.deals: list[dict] = []
        self.visits: list[dict] = []
        self.attendees: list[dict] = []
        self.ids = {m: _next_id(m) for m in (Account, Deal, Person, Visit)}
        self.stage_cycle = {"E": 0, "P": 0}

    def new_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def at(self, days_ago: int, hour: int | None = None) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(9, 17) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)))

    def money(self, low: float, high: float) -> float:
        """Log-uniform amount between low and high, rounded to two significant figures."""
        value = low * (high / low) ** self.rng.random()
        step = 10 ** max(0, len(str(int(value))) - 2)
        return float(round(value / step) * step)

    # -- one account ----------------------------------------------------------------------

    def account(self, spec: list[str]) -> None:
        rng, today = self.rng, self.today
        name, lang, industry, region, code, tier, domain, phone = spec
        account_id = self.new_id(Account)
        if code == "F":
            relationship, axes = "future", (None, None)
        elif code == "P":
            relationship, axes = "prospect", (None, None)
        else:
            relationship = "customer" if code[0] == "E" else "prospect"
            axes = _AXES[code[1:]]
        big = axes[0] == "high"
        owner = rng.choice((*REPS_CN, "Sarah Chen") if lang == "cn" else (*REPS_EN, "张伟"))

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
            next_step = _NEXT_STEPS[lang][6] if r < 0.6 else ""  # first call
        elif r < 0.8:
            next_step = last_visit["next_step"]
        elif r < 0.9:
            next_step = rng.choice(_NEXT_STEPS[lang])
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
            excluded = float(round(capacity * rng.uniform(0.05, 0.4), -3))
        fill = {
            "year": rng.randint(1988, 2015),
            "share": rng.randint(5, 35),
            "growth": rng.randint(2, 18),
            "weeks": rng.randint(3, 14),
            "months": rng.randint(6, 24),
        }
        profile = "\n".join(
            t.format(**fill) for t in sorted(rng.sample(_PROFILE[lang], rng.randint(2, 4)), key=_PROFILE[lang].index)
        )
        rules = "; ".join(rng.sample(_RULES[lang], rng.randint(1, 3))) if relationship == "customer" else ""
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
                "excluded_channels": rng.choice(_EXCLUDED_CHANNELS[lang]) if capacity and rng.random() < 0.7 else "",
                "credit_terms": rng.choice(_CREDIT[lang])
                if relationship == "customer"
                else (rng.choice(_CREDIT[lang][3:4]) if rng.random() < 0.3 else ""),
                "payment_terms": rng.choice(_PAYMENT[lang]) if relationship != "future" else "",
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
                (s, sp), (g, gp) = self.rng.choice(_SURNAMES), self.rng.choice(_GIVEN)
                name, local = s + g, f"{gp}.{sp}"
            else:
                first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
                name, local = f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"
            if (
                name not in used
                and name not in REPS_CN + REPS_EN + STAFF_CN + STAFF_EN + EXECUTIVES
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
    ) -> list[dict]:
        rng = self.rng
        n = rng.randint(4, 12)
        used: set[str] = set()
        # (level, department key, parent index)
        shape: list[tuple[int, str, int | None]] = [(1, "mgmt", None)]
        k2 = max(1, min(rng.randint(2, 4), n - 2))
        for dept in rng.sample(sorted(_DEPTS), k2):
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

        staff = REPS_CN + STAFF_CN if lang == "cn" else REPS_EN + STAFF_EN
        coach_candidates = [i for i, s in enumerate(shape) if s[0] in (2, 3) and s[1] != "assistant"]
        coach = rng.choice(coach_candidates) if contacted and coach_candidates and rng.random() < 0.85 else None
        rows: list[dict] = []
        for i, (level, dept, parent) in enumerate(shape):
            name, local = self.person_name(lang, used)
            if dept == "mgmt":
                dept_name, title = _TOP[lang][0], rng.choice(_TOP[lang][1])
                role, influence, pain_key = "decision-maker", 1, "mgmt"
                person_owner = rng.choice(EXECUTIVES) if contacted and rng.random() < 0.7 else ""
            elif dept == "assistant":
                dept_name, title = _TOP[lang][0], _ASSISTANT[lang]
                role, influence, pain_key = "gatekeeper", 4, "mgmt"
                person_owner = owner if rng.random() < 0.5 else ""
            else:
                info = _DEPTS[dept][lang]
                dept_name, title = info[0], rng.choice(info[level - 1])
                role = _ROLE[dept] if level < 4 or rng.random() < 0.6 else ""
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
                    "reports_to": rows[parent]["id"] if parent is not None else None,
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
                    "interests": rng.choice(_INTERESTS[lang]) if contacted and rng.random() < 0.7 else "",
                    "pains": rng.choice(_PAINS[pain_key][lang]) if contacted and rng.random() < 0.8 else "",
                    "good_supplier": rng.choice(_GOOD_SUPPLIER[lang]) if contacted and rng.random() < 0.6 else "",
                    "responsibility": _RESPONSIBILITY[dept][lang] if dept in _RESPONSIBILITY else "",
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
    ) -> list[dict]:
        rng, today = self.rng, self.today
        if relationship == "future":
            return []
        titles = rng.sample(_DEAL_TITLES[lang], 3)
        low, high = (1e6, 2e7) if big else (5e4, 1.5e6)
        rows: list[dict] = []
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
                    stage, reason = rng.choice((5, 6)), rng.choice(_WON[lang])
                else:
                    stage, reason = rng.randint(2, 5), rng.choice(_LOST[lang])
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
        people: list[dict],
        open_deals: list[dict],
        last_ago: int | None,
        code: str,
        created_ago: int,
    ) -> dict | None:
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
        latest: dict | None = None
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
            texts = _progress_text(lang, deal["stage"]) if deal else rng.choice(_VISIT_TEXT[main][lang])
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
            texts = _progress_text(lang, deals[0]["stage"]) if deals else rng.choice(_VISIT_TEXT[purpose][lang])
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


def _milestones(process: Process, today: dt.date, rng: random.Random) -> None:
    """Milestone lists for the demo deals, worked through as far as each deal has come:
    earlier stages reached, part of the current one reached on the latest visit, and the
    next open ones on the checklist of any planned visit."""
    for deal in Deal.select().where(Deal.status != "lost"):
        through = deal.stage + 1 if deal.status == "won" else deal.stage
        apply_template(
            deal.id, process, reached_before_stage=through, reached_on=today - dt.timedelta(days=rng.randint(40, 200))
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


def build_demo(today: dt.date | None = None, seed: int = 7, process: Process | None = None) -> None:
    """Fill the open database with demo accounts, people, deals and visits.

    Meant for an empty database; accounts whose name is already taken are skipped.
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    with database.atomic():
        taken = {
            r[0].casefold()
            for r in database.execute_sql("SELECT name FROM account WHERE archived_at IS NULL").fetchall()
        }
        builder = _Builder(today, rng)
        for line in _ACCOUNTS.strip().splitlines():
            spec = line.split("|")
            if spec[0].casefold() not in taken:
                builder.account(spec)
        if builder.accounts:
            builder.planned()
        builder.write()
        if process is None:
            from saletui.process.load import builtin_path, load_process

            process = load_process(builtin_path("en"))
        _milestones(process, today, rng)
        refresh_missing_warning_counts()

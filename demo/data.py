"""The vocabulary the demo data is drawn from. Everything here is fictional.

Enterprise names carry 示例 or 演示 so nobody mistakes them for real companies. Town and
road names sound like 营口's, but the codes are made up (9 digits: division code + 3).
"""

from dataclasses import dataclass

from accounts.roles import Role


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The one password of every demo user. It meets the password rules (≥10 characters,
# 3 of 4 character classes) and is printed by seed_demo and listed in the README.
DEMO_PASSWORD = "Demo@2026anbiao"  # noqa: S105 - public by design, not a secret


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name: str
    # Where the user belongs: "admin", "city", "county:<division>", "enterprise" or "experts".
    organisation: str


DEMO_USERS = [
    DemoUser("admin", Role.SYSTEM_ADMIN, "孙示例", "admin"),
    DemoUser("city_officer", Role.CITY_OFFICER, "李示例", "city"),
    DemoUser("city_chief", Role.CITY_CHIEF, "王示例", "city"),
    DemoUser("leader", Role.BUREAU_LEADER, "赵示例", "city"),
    DemoUser("zhanqian_officer", Role.COUNTY_OFFICER, "周示例", "county:站前区"),
    DemoUser("zhanqian_chief", Role.COUNTY_CHIEF, "吴示例", "county:站前区"),
    DemoUser("bayuquan_officer", Role.COUNTY_OFFICER, "郑示例", "county:鲅鱼圈区"),
    DemoUser("ent_user", Role.ENTERPRISE_USER, "钱示例", "enterprise"),
    DemoUser("ent_principal", Role.ENTERPRISE_PRINCIPAL, "冯示例", "enterprise"),
    DemoUser("expert", Role.EXPERT, "陈示例", "experts"),
]

# Staff of the other county bureaus: they act on the demo's applications from their divisions
# (the timeline shows a real officer and chief). Same password; not printed by seed_demo.
COUNTY_STAFF = [
    DemoUser("bayuquan_chief", Role.COUNTY_CHIEF, "韩示例", "county:鲅鱼圈区"),
    DemoUser("xishi_officer", Role.COUNTY_OFFICER, "杨示例", "county:西市区"),
    DemoUser("xishi_chief", Role.COUNTY_CHIEF, "朱示例", "county:西市区"),
    DemoUser("laobian_officer", Role.COUNTY_OFFICER, "秦示例", "county:老边区"),
    DemoUser("laobian_chief", Role.COUNTY_CHIEF, "许示例", "county:老边区"),
    DemoUser("gaizhou_officer", Role.COUNTY_OFFICER, "何示例", "county:盖州市"),
    DemoUser("gaizhou_chief", Role.COUNTY_CHIEF, "吕示例", "county:盖州市"),
    DemoUser("dashiqiao_officer", Role.COUNTY_OFFICER, "施示例", "county:大石桥市"),
    DemoUser("dashiqiao_chief", Role.COUNTY_CHIEF, "张示例", "county:大石桥市"),
]

# The six county-level divisions of 营口市 (seeded by accounts' migration) and their codes.
DIVISION_CODES = {
    "站前区": "210802",
    "西市区": "210803",
    "鲅鱼圈区": "210804",
    "老边区": "210811",
    "盖州市": "210881",
    "大石桥市": "210882",
}

# Towns and subdistricts (乡镇/街道) under each county-level division.
TOWNS = {
    "站前区": ["八田地街道", "建设街道", "跃进街道", "新兴街道"],
    "西市区": ["五台子街道", "得胜街道", "河北街道", "渔市街道"],
    "鲅鱼圈区": ["海星街道", "海东街道", "望儿山街道", "熊岳镇", "芦屯镇", "红旗镇"],
    "老边区": ["城东街道", "柳树镇", "边城镇", "路南镇"],
    "盖州市": ["鼓楼街道", "西城街道", "太阳升街道", "团甸镇", "九垄地镇", "归州镇"],
    "大石桥市": ["钢都街道", "石桥街道", "金桥街道", "青花街道", "水源镇", "虎庄镇", "官屯镇"],
}

# How likely an enterprise is to sit in each division when its business has no preference.
DIVISION_WEIGHTS = {"站前区": 6, "西市区": 8, "鲅鱼圈区": 22, "老边区": 14, "盖州市": 20, "大石桥市": 30}

# The short place name an enterprise name may start with.
NAME_PLACES = {
    "站前区": ["营口"],
    "西市区": ["营口"],
    "鲅鱼圈区": ["营口", "鲅鱼圈"],
    "老边区": ["营口", "老边"],
    "盖州市": ["营口", "盖州"],
    "大石桥市": ["营口", "大石桥"],
}


@dataclass(frozen=True)
class Business:
    """A line of business: its name word, GB/T 4754-2017 class codes and typical risks."""

    word: str
    codes: tuple[str, ...]
    weight: int
    employees: tuple[int, int]
    risks: tuple[str, ...] = ()  # usually present
    maybe_risks: tuple[str, ...] = ()  # sometimes present
    divisions: tuple[str, ...] = ()  # where such firms cluster; empty: anywhere


BUSINESSES = [
    # 冶金 metallurgy
    Business(
        "钢铁",
        ("3120", "3130"),
        4,
        (400, 3000),
        ("metal_smelting",),
        ("confined_space",),
        ("鲅鱼圈区", "老边区"),
    ),
    Business(
        "特钢", ("3120",), 2, (200, 1500), ("metal_smelting",), ("confined_space",), ("鲅鱼圈区", "大石桥市")
    ),
    Business(
        "铁合金", ("3140",), 3, (60, 400), ("metal_smelting",), ("confined_space",), ("大石桥市", "盖州市")
    ),
    Business("钢材加工", ("3130",), 3, (30, 300), (), ("confined_space",)),
    # 有色 non-ferrous
    Business(
        "镁业",
        ("3216",),
        5,
        (80, 800),
        ("metal_smelting", "dust_explosion"),
        ("confined_space",),
        ("大石桥市", "盖州市"),
    ),
    Business(
        "镁制品",
        ("3216", "3259"),
        5,
        (40, 400),
        ("dust_explosion",),
        ("metal_smelting",),
        ("大石桥市", "盖州市"),
    ),
    Business(
        "铝业", ("3252",), 3, (50, 600), ("dust_explosion",), ("metal_smelting",), ("鲅鱼圈区", "老边区")
    ),
    Business("铜材", ("3251",), 1, (40, 300), (), ("metal_smelting",)),
    # 建材 building materials
    Business("耐火材料", ("3089",), 10, (50, 600), (), ("confined_space",), ("大石桥市", "盖州市", "老边区")),
    Business("水泥", ("3011",), 2, (80, 500), ("confined_space",), (), ("大石桥市", "盖州市")),
    Business("建材", ("3021", "3031"), 4, (20, 200), (), ("confined_space",)),
    Business("玻璃", ("3041", "3042"), 2, (60, 500), (), ("confined_space",)),
    Business("保温材料", ("3034",), 2, (20, 150), (), ("dust_explosion",)),
    Business("碳素", ("3091",), 1, (50, 400), ("confined_space",), ("dust_explosion",), ("大石桥市",)),
    # 机械 machinery
    Business("机械", ("3484", "3489", "3441"), 10, (30, 500), (), ("confined_space",)),
    Business(
        "重工", ("3311", "3516", "3511"), 4, (150, 1500), (), ("confined_space",), ("鲅鱼圈区", "老边区")
    ),
    Business("铸造", ("3391", "3392"), 4, (40, 300), ("metal_smelting",), ("dust_explosion",)),
    Business("汽车零部件", ("3670",), 3, (80, 800), (), ("hazardous_chemicals",), ("鲅鱼圈区", "西市区")),
    Business(
        "船舶",
        ("3731", "3734"),
        2,
        (100, 1200),
        (),
        ("confined_space", "hazardous_chemicals"),
        ("鲅鱼圈区", "西市区"),
    ),
    Business("电气", ("3821", "3823"), 3, (30, 400), ()),
    Business("电缆", ("3831",), 2, (50, 500), (), ()),
    Business("表面处理", ("3360",), 2, (15, 120), ("hazardous_chemicals",), ("confined_space",)),
    Business("阀门", ("3443",), 2, (30, 300), ()),
    Business("仪表", ("4011",), 1, (30, 250), ()),
    Business("设备维修", ("4320", "4330"), 2, (10, 80), (), ("confined_space",)),
    Business("金属结构", ("3311",), 3, (30, 300), (), ("hazardous_chemicals",)),
    # 轻工 light industry
    Business(
        "食品",
        ("1411", "1419", "1431"),
        6,
        (30, 500),
        ("dust_explosion",),
        ("confined_space", "ammonia_refrigeration"),
    ),
    Business("淀粉", ("1391",), 1, (50, 300), ("dust_explosion",), ("confined_space",)),
    Business(
        "粮油", ("1311", "1331"), 2, (30, 300), ("dust_explosion",), ("confined_space", "hazardous_chemicals")
    ),
    Business("饲料", ("1329",), 2, (20, 200), ("dust_explosion",), ("confined_space",)),
    Business(
        "水产",
        ("1361", "1362", "1369"),
        5,
        (30, 600),
        ("ammonia_refrigeration",),
        ("confined_space",),
        ("鲅鱼圈区", "盖州市", "西市区"),
    ),
    Business(
        "海产品",
        ("1361", "1363"),
        3,
        (20, 300),
        ("ammonia_refrigeration",),
        ("confined_space",),
        ("鲅鱼圈区", "盖州市"),
    ),
    Business("肉类食品", ("1351", "1353"), 2, (50, 600), ("ammonia_refrigeration",), ("confined_space",)),
    Business("速冻食品", ("1432",), 2, (40, 400), ("ammonia_refrigeration",), ("dust_explosion",)),
    Business("啤酒", ("1513",), 1, (100, 600), ("ammonia_refrigeration", "confined_space"), ()),
    Business("酿造", ("1462", "1512"), 2, (20, 200), ("confined_space",), ()),
    Business("乳业", ("1441",), 1, (80, 500), ("ammonia_refrigeration",), ("confined_space",)),
    Business("木业", ("2021", "2032"), 3, (20, 300), ("dust_explosion",), ()),
    Business("家具", ("2110",), 2, (20, 300), ("dust_explosion",), ("hazardous_chemicals",)),
    Business("纸业", ("2221", "2231"), 2, (40, 400), ("confined_space",), ()),
    Business("印刷", ("2319",), 1, (15, 120), (), ("hazardous_chemicals",)),
    Business("塑料制品", ("2922", "2927"), 3, (20, 300), (), ("dust_explosion",)),
    Business("橡胶制品", ("2913",), 1, (40, 300), (), ("dust_explosion",)),
    Business("再生资源", ("4210",), 1, (10, 100), (), ("metal_smelting",)),
    # 纺织 textiles
    Business("纺织", ("1711", "1751"), 3, (50, 600), (), ("dust_explosion",)),
    Business("印染", ("1713", "1752"), 1, (50, 400), ("hazardous_chemicals",), ("confined_space",)),
    Business("服饰", ("1819", "1820"), 3, (40, 500), ()),
    Business("家纺", ("1771",), 1, (20, 200), (), ("dust_explosion",)),
    Business("化纤", ("2822",), 1, (80, 500), (), ("hazardous_chemicals",)),
    # 烟草 tobacco
    Business("烟叶复烤", ("1610",), 1, (80, 400), (), ("dust_explosion",), ("盖州市",)),
    # 商贸 commerce and trade
    Business("物流", ("5920",), 5, (20, 300), (), ("confined_space",), ("鲅鱼圈区", "西市区", "老边区")),
    Business(
        "冷链物流",
        ("5930",),
        3,
        (20, 200),
        ("ammonia_refrigeration",),
        ("confined_space",),
        ("鲅鱼圈区", "西市区", "老边区"),
    ),
    Business("冷藏", ("5930",), 2, (10, 100), ("ammonia_refrigeration",), ()),
    Business(
        "粮食储运", ("5911",), 2, (20, 150), ("dust_explosion", "confined_space"), (), ("盖州市", "大石桥市")
    ),
    Business("商贸", ("5211", "5212"), 3, (30, 400), ()),
    Business("钢材贸易", ("5164",), 2, (10, 60), ()),
    Business("五金建材", ("5165", "5231"), 2, (10, 80), ()),
]

# Brand-like words between the place and the business: 营口示例「鑫达」机械有限公司.
BRANDS = _words(
    "鑫达 华泰 宏远 金岭 恒通 兴辽 海港 北方 辽南 瑞丰 盛源 永昌 东升 天成 隆基 富华 长城 博远 安泰 众诚 "
    "明华 新港 鼎盛 嘉禾 汇丰 中兴 顺达 宝利 宏大 金马 海洋 翔宇 晟通 信达 弘业 佳和 联创 正大 龙腾 恒昌 "
    "万通 泰山 启明 华夏 福瑞 凯盛 荣达 新元 光明 益民"
)

SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")

ROADS = _words(
    "渤海大街 辽河大街 金牛山大街 平安大街 青龙山大街 新港大街 沿海路 学府路 镁都路 钢都路 工业路 "
    "开发区一路 开发区三路 临港路 望海路 兴业路 创业路 园区大道"
)

SURNAMES = _words(
    "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 沈 曾 彭 吕"
)
MALE_GIVEN_NAMES = _words(
    "建国 建华 国强 志刚 海波 立新 永胜 晓东 明辉 宏伟 振宇 文博 思远 德明 学军 长青 俊峰 永军 保国 庆丰 "
    "国华 浩然 伟 强 磊 军 洋 勇 刚 鹏"
)
FEMALE_GIVEN_NAMES = _words(
    "丽娟 秀英 玉兰 海燕 淑华 红梅 春雨 凤霞 桂芝 亚楠 欣怡 雅琴 丹丹 静 敏 艳 娜 婷 慧 颖"
)
GIVEN_NAMES = MALE_GIVEN_NAMES + FEMALE_GIVEN_NAMES

# Fictional employers of the experts.
EXPERT_EMPLOYERS = (
    "营口示例安全技术咨询有限公司",
    "辽宁示例安全评价有限公司",
    "营口示例安全生产技术服务中心",
    "辽宁示例工程设计研究院有限公司",
    "营口示例理工学院",
    "大石桥示例镁业有限公司",
    "鲅鱼圈示例重工有限公司",
    "营口示例消防技术服务有限公司",
    "辽宁示例职业卫生检测有限公司",
    "营口示例特种设备检验所",
)

EXPERT_TITLES = (
    "正高级工程师",
    "高级工程师",
    "高级工程师",
    "高级工程师",
    "工程师",
    "高级技师",
    "副教授",
    "教授",
)
SENIOR_TITLES = frozenset({"正高级工程师", "高级工程师", "副教授", "教授", "高级技师"})

# How often each industry appears among the experts' industries (tobacco experts are rare).
# Commerce comes first: every demo case is a 商贸 firm (the bundled standard is 仓储物流), and
# each of the panels drawn for the same day needs a commerce expert of its own.
EXPERT_INDUSTRY_WEIGHTS = {
    "metallurgy": 4,
    "nonferrous": 4,
    "building_materials": 4,
    "machinery": 6,
    "light_industry": 5,
    "textiles": 2,
    "tobacco": 1,
    "commerce_trade": 8,
}

# Division codes an expert's ID number may start with, with the years they existed:
# python-stdnum refuses a code that did not exist in the birth year.
ID_DIVISION_CODES = ("210800", "210821", "210802", "210803", "210804", "210811", "210302", "210202")

# --- Accidents ----------------------------------------------------------------

# Where in a plant accidents happen, and what happened, per GB 6441 type code (fictional).
ACCIDENT_PLACES = _words(
    "一号车间 二号车间 装配车间 机加工车间 包装车间 维修车间 原料堆场 成品仓库 锅炉房 配电室 "
    "厂区道路 装卸平台 污水处理池 熔炼车间 喷涂车间 冷库"
)
ACCIDENT_STORIES = {
    "machinery": "操作工清理设备时未停机，手部被卷入传动部位",
    "struck_by_object": "吊运物料时物件滑落，砸伤下方作业人员",
    "fall_from_height": "检修人员登高作业未系安全带，从作业平台坠落",
    "lifting": "行车起吊时钢丝绳断裂，吊物坠落伤人",
    "burn_scald": "出料时高温物料喷溅，烫伤现场作业人员",
    "electrocution": "电工带电检修配电柜，发生触电",
    "vehicle": "叉车倒车时未注意后方，撞伤装卸工",
    "poisoning_asphyxiation": "作业人员未检测气体进入有限空间，发生中毒窒息",
    "collapse": "物料堆垛过高发生坍塌，压伤理货人员",
    "fire": "动火作业引燃周边可燃物，引发火灾",
    "other_injury": "作业人员在湿滑地面摔倒受伤",
}
# Weights of the types above: machinery and struck-by accidents are the commonest.
ACCIDENT_TYPE_WEIGHTS = {
    "machinery": 8,
    "struck_by_object": 6,
    "fall_from_height": 5,
    "lifting": 3,
    "burn_scald": 3,
    "electrocution": 2,
    "vehicle": 3,
    "poisoning_asphyxiation": 1,
    "collapse": 1,
    "fire": 1,
    "other_injury": 3,
}

# What a warehousing firm's self-assessment typically finds (deduction reasons).
SELF_ASSESSMENT_FINDINGS = _words(
    "安全生产责任制未覆盖全部岗位 "
    "年度安全培训计划未按期完成 "
    "部分货架未张贴限载标识 "
    "叉车日常检查记录不完整 "
    "应急预案演练记录缺少评估 "
    "消防通道局部被货物占用 "
    "配电箱未设置警示标志 "
    "相关方安全管理协议过期 "
    "隐患排查记录未闭环 "
    "劳动防护用品发放台账不全"
)

# --- On-site reviews ----------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A panel's finding on an item of the bundled 仓储物流 standard: a deduction and its reason."""

    code: str
    points: int
    reason: str
    is_hazard: bool = False  # a hazard (隐患) the enterprise must rectify


# What panels typically find at a warehousing firm, one finding per item (points within the item's).
REVIEW_FINDINGS = (
    Finding("2.1.3", 1, "安全生产领导机构未按季度召开安全专题会，缺少第三季度会议纪要"),
    Finding("2.2.1", 2, "安全生产责任制未覆盖叉车司机、理货员等岗位，未开展年度考核"),
    Finding("3.1.2", 1, "安全生产费用使用台账不完整，部分支出无凭证"),
    Finding("4.3.1", 3, "裹包机、电动搬运车岗位未编制安全操作规程"),
    Finding("4.6.3", 2, "安全生产档案不全，缺少近一年的隐患整改记录"),
    Finding("5.1.3", 4, "年度安全教育培训计划未按期完成，培训效果未评估"),
    Finding("5.3.1", 3, "2名新入职理货员三级安全教育记录不全"),
    Finding("5.4.1", 5, "1名叉车司机特种作业操作证已过期仍在上岗作业", True),
    Finding("5.5.1", 3, "外包装卸人员进场前未进行安全教育培训"),
    Finding("6.2.3", 2, "消防水泵未按计划检修，检修记录缺失"),
    Finding("6.2.7", 2, "部分货架未张贴限载标识，个别横梁变形未及时更换", True),
    Finding("6.2.25", 1, "防雷装置检测报告已过期"),
    Finding("6.2.29", 3, "部分灭火器压力不足，未按月进行检查", True),
    Finding("6.2.31", 1, "仓库内电气线路未穿管保护，存在私拉乱接现象", True),
    Finding("6.2.33", 1, "配电箱金属外壳未可靠接地", True),
    Finding("6.2.38", 1, "库区主要通道应急照明损坏，疏散指示标志不全", True),
    Finding("6.3.2", 3, "电梯、桥式起重机每月自检记录不全"),
    Finding("6.3.4", 1, "工业气瓶未登记出入库，空瓶与实瓶混放", True),
    Finding("6.3.5", 2, "桥式起重机限位器失效，未及时维修", True),
    Finding("6.3.7", 2, "叉车未定期检验，货叉磨损超标仍在使用", True),
    Finding("7.1.1", 3, "危险作业管理制度未包含有限空间作业和临时用电作业"),
    Finding("7.1.4", 3, "库区消防通道被货物占用", True),
    Finding("7.1.5", 2, "货物堆垛超高，未保持“五距”要求", True),
    Finding("7.2.3", 5, "未按规定开展有限空间作业审批，作业票签字不全", True),
    Finding("7.2.5", 2, "装卸工未按规定佩戴安全帽和防护手套"),
    Finding("7.3.2", 1, "装卸平台边缘未设置安全警示标志"),
    Finding("7.4.3", 3, "与外包装卸单位未签订安全生产管理协议"),
    Finding("8.1.3", 2, "隐患排查未按方案开展，节假日检查记录缺失"),
    Finding("8.3.1", 3, "隐患整改未闭环，3项隐患未验收销号"),
    Finding("10.1.3", 1, "职业健康监护档案不全"),
    Finding("10.2.3", 1, "噪声岗位未设置职业病危害警示标识"),
    Finding("11.2.1", 2, "应急预案缺少仓库火灾现场处置方案"),
    Finding("11.3.2", 1, "应急物资未定期检查，部分急救药品过期"),
    Finding("11.4.1", 2, "未按规定组织年度应急演练"),
    Finding("13.1.1", 2, "年度绩效评定报告未分析隐患排查治理情况"),
)

# Items a failing firm scores nothing on (the whole item's points are deducted). The bundled
# standard has no veto items, so the demo's failed reviews fail on the score: below 60 %.
FAILING_FINDINGS = (
    ("1.1.1", "未建立安全生产目标管理制度，不得分", False),
    ("1.2.3", "未对安全生产目标完成情况进行考核，不得分", False),
    ("2.2.1", "未建立安全生产责任制，不得分", False),
    ("3.1.3", "未制定安全生产费用使用计划，不得分", False),
    ("4.2.1", "安全生产规章制度大部分缺失，不得分", False),
    ("4.3.1", "未编制岗位安全操作规程，不得分", False),
    ("4.4.1", "未对规章制度和操作规程的执行情况进行检查评估，不得分", False),
    ("4.5.1", "规章制度和操作规程多年未修订，不得分", False),
    ("4.6.3", "未建立安全生产档案，不得分", False),
    ("5.1.3", "未按计划开展安全教育培训，无培训档案，不得分", False),
    ("5.2.1", "主要负责人和安全管理人员未经考核合格，不得分", False),
    ("5.3.1", "新员工未进行三级安全教育，不得分", False),
    ("5.4.1", "多名叉车司机无证上岗作业，不得分", True),
    ("5.5.1", "未对外包装卸人员进行安全教育培训，不得分", False),
    ("6.1.2", "扩建仓库未履行安全设施“三同时”手续，不得分", False),
    ("6.3.2", "叉车、桥式起重机未定期检验，不得分", True),
    ("7.1.1", "未建立危险作业安全管理制度，不得分", False),
    ("7.1.2", "未对作业现场的事故隐患进行排查评估，不得分", False),
    ("7.1.7", "未建立交接班制度，不得分", False),
    ("7.2.1", "未辨识作业过程中人的不安全行为，不得分", False),
    ("7.2.3", "未按规定开展有限空间作业审批，不得分", True),
    ("7.4.3", "与外包单位未签订安全生产管理协议，不得分", False),
    ("7.5.2", "仓库改建未进行变更审批和验收，不得分", False),
    ("8.1.3", "未按方案开展隐患排查，不得分", False),
    ("8.1.4", "未对隐患进行评估分级和登记建档，不得分", False),
    ("8.2.2", "未开展综合检查、专业检查和季节性检查，不得分", False),
    ("8.3.1", "隐患整改未落实，不得分", True),
    ("8.3.2", "隐患治理后未进行验证和效果评估，不得分", False),
    ("8.4.1", "未建立安全预警指数系统，不得分", False),
    ("9.1.2", "未开展重大危险源辨识评估，不得分", False),
    ("10.3.1", "未申报职业危害因素，不得分", False),
    ("11.2.1", "未制定生产安全事故应急预案，不得分", False),
    ("11.4.1", "未组织应急演练，不得分", False),
    ("12.2.1", "未对发生的事件组织调查处理，不得分", False),
    ("13.1.1", "未开展安全生产标准化绩效评定，不得分", False),
    ("13.1.2", "绩效评定未形成正式文件，不得分", False),
)

# Items a warehousing firm often does not have: (code, reason, words in the enterprise's name
# that mean it does have them — a 冷藏 firm has a cold store, a 粮食 one elevators and dryers).
NOT_APPLICABLE_ITEMS = (
    ("6.2.5", "本企业无立体库", ()),
    ("6.2.6", "本企业无冷库", ("冷",)),
    ("6.2.13", "本企业未使用斗式提升机", ("粮",)),
    ("6.2.19", "本企业无填充作业", ()),
    ("6.2.20", "本企业无真空包装机", ("冷",)),
    ("6.2.23", "本企业未使用搬运机器人", ()),
    ("6.2.26", "本企业无除尘系统", ("粮",)),
    ("6.2.27", "本企业无烘干系统", ("粮",)),
)
# Where the firm identified no major hazard source (重大危险源), its registration and control items.
NO_MAJOR_HAZARD_ITEMS = ("9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3")
NO_MAJOR_HAZARD_REASON = "经辨识，本企业无重大危险源"

# What a member notes on an item he checked and found in order (full marks).
FULL_MARK_NOTES = (
    ("5.4.1", "特种作业人员均持证上岗，证件在有效期内"),
    ("6.2.29", "消防器材配置齐全，月度检查记录完整"),
    ("6.3.7", "现场抽查3台叉车，检验合格标志均在有效期内"),
    ("7.1.4", "库区消防通道畅通，禁烟标志齐全"),
    ("7.2.3", "有限空间作业审批手续齐全，作业票签字完整"),
    ("11.4.1", "本年度已组织仓库火灾疏散演练并进行评估"),
)

DECLINE_REASONS = ("评审当日已安排出差，无法参加", "身体原因，无法参加现场评审")

RATING_COMMENTS = (
    "评审认真细致，扣分依据充分",
    "熟悉仓储物流行业标准，现场检查全面",
    "遵守评审纪律，按时完成评分",
    "沟通耐心，对企业整改的指导具体",
)

# --- Rectification (整改) ------------------------------------------------------

# Where the panel found each hazard of REVIEW_FINDINGS, and how the enterprise fixes it:
# item code -> (location or department, the enterprise's measures).
HAZARD_FIXES = {
    "5.4.1": (
        "仓储部叉车班组",
        "该叉车司机立即停止作业，参加特种作业复审培训并取得有效证件后上岗；全面核查特种作业人员持证情况，建立证件到期提醒台账",
    ),
    "6.2.7": ("一号库货架区", "更换变形横梁，全部货架张贴限载标识，每月检查货架并记录"),
    "6.2.29": ("各库区及办公楼", "更换压力不足的灭火器，落实每月检查并在检查卡上签字"),
    "6.2.31": ("二号库", "拆除私拉线路，库内电气线路全部穿管保护，由持证电工施工"),
    "6.2.33": ("配电室及各库配电箱", "配电箱金属外壳可靠接地，委托检测机构检测接地电阻"),
    "6.2.38": ("库区主通道", "更换损坏的应急照明灯具，补齐疏散指示标志，每月测试一次"),
    "6.3.4": ("气瓶存放间", "建立气瓶出入库登记，空瓶、实瓶分区存放并设置标识"),
    "6.3.5": ("三号库桥式起重机", "停用该起重机，由维保单位更换限位器，经检验合格后恢复使用"),
    "6.3.7": ("叉车停放区", "停用货叉磨损超标的叉车，更换货叉，委托特种设备检验机构定期检验"),
    "7.1.4": ("二号库消防通道", "清理占用消防通道的货物，通道两侧划线并设置禁止占用标识"),
    "7.1.5": ("三号库堆垛区", "重新码放超高货垛，按“五距”要求划定堆垛线"),
    "7.2.3": ("地下污水池（有限空间）", "修订有限空间作业审批制度，作业票逐级审批签字，作业时专人监护"),
}
HAZARD_FIX_DEFAULT = ("库区", "按整改要求制定措施，落实责任人和资金，限期整改到位")

# Findings the panel leader raises to 重大 (应急管理部令第10号): item code -> (article, item).
MAJOR_FINDING_CLAUSES = {"5.4.1": (3, 2), "7.2.3": (13, None)}


@dataclass(frozen=True)
class PlanHazard:
    """A hazard the panel leader (or the city) adds to a plan, or a major one's 五落实."""

    description: str
    location: str
    requirement: str
    measures: str
    clause: tuple[int, int | None] | None = None  # 重大: its basis (article, item)
    responsibility: str = ""
    contingency_plan: str = ""
    governance_plan: str = ""


# What the leader adds to the 一企一策 of the rectifying case (a 一般 hazard found on site).
PLAN_ADDED_HAZARD = PlanHazard(
    "二号库装卸平台边缘防护栏缺失，装卸作业存在高处坠落风险",
    "二号库装卸平台",
    "装卸平台边缘设置固定防护栏和警示标线，完善装卸作业安全操作规程",
    "安装高度不低于1.2米的固定防护栏，平台边缘刷黄黑警示线",
)
# Added by the leader where no finding of the plan is 重大 (a seed other than the default).
PLAN_MAJOR_FALLBACK = PlanHazard(
    "地下污水池（有限空间）未辨识、未建立有限空间管理台账，清淤作业未审批、无专人监护",
    "厂区东侧地下污水池",
    "立即停止有限空间作业，完成辨识并建立台账，落实作业审批、检测和专人监护",
    "停止清淤作业，设置警示标识和围挡；委托机构开展有限空间辨识，修订作业审批制度并培训监护人员",
    clause=(13, None),
)
# The 五落实 of a major hazard (item code or "fallback" / "overdue" -> texts).
FIVE_ASSURANCES = {
    "5.4.1": (
        "总经理对整改负总责，仓储部经理具体落实，安全管理部监督检查",
        "整改期间由持有效证件的叉车司机顶岗，无证人员一律不得驾驶叉车；每日班前核查持证情况",
        "目标：特种作业人员100%持证上岗。措施：复审培训、证件台账、到期提醒。时限：整改期限内完成",
    ),
    "7.2.3": (
        "总经理对整改负总责，设备部经理具体落实",
        "整改完成前禁止一切有限空间作业；确需作业的，报总经理批准并由专业机构实施",
        "目标：有限空间作业全部审批、检测、监护。措施：修订制度、培训、配备检测仪和救援器材。时限：整改期限内完成",
    ),
}
FIVE_ASSURANCES_DEFAULT = (
    "总经理对整改负总责，安全管理部具体落实",
    "整改完成前停用相关设施，设置警戒区域，安排专人值守，配备应急救援器材",
    "目标：消除隐患。措施：按整改要求逐项落实。时限：整改期限内完成",
)

# The 重大 hazard of the second rectifying case that ran past its deadline: a 督办 is open.
OVERDUE_MAJOR = PlanHazard(
    "地下污水池（有限空间）未辨识、未建立有限空间管理台账，清淤作业未审批、无专人监护（县区初审现场核查时发现，现场评审复核仍未整改）",
    "厂区东侧地下污水池",
    "立即停止有限空间作业，完成辨识并建立台账，落实作业审批、气体检测和专人监护",
    "已停止清淤作业并设置围挡；有限空间辨识和台账尚未完成",
    clause=(13, None),
    responsibility="总经理对整改负总责，设备部经理具体落实",
)
OVERDUE_MAJOR_FOUND_DAYS_AGO = 24
OVERDUE_MAJOR_DAYS_LATE = 4  # the deadline passed this many days ago

# The texts of the loop.
PROGRESS_NOTES = (
    "已制定整改方案，落实责任人，正在采购所需材料",
    "整改施工已完成约一半，预计按期完成",
    "整改已完成，正在整理整改前后照片和记录",
)
PROGRESS_AFTER_REJECTION = "按复查意见重新整改：补齐限载标识，更换全部变形横梁，补充更换记录"
OVERDUE_PROGRESS = "已停止清淤作业并设置围挡，有限空间辨识和管理台账尚在编制中"
EXTENSION_APPROVED = ("更换货叉需向厂家订货，到货周期约两周", "同意延期，延期期间该叉车停止使用")
EXTENSION_PENDING = "叉车司机复审培训班下一期开班在下月中旬，取证需要时间，申请延期"
VERIFY_NOTE = "现场复查：隐患已整改到位，整改前后照片和记录齐全，同意销号"
REJECT_NOTE = "整改后照片未能反映全部货架的限载标识，横梁更换记录缺失，请补充整改后重新提交"
SUBMIT_COMMENT = "已按整改要求完成整改，整改前后照片及记录已上传"
RECTIFICATION_SUBMIT = "全部隐患已整改完毕，整改报告及佐证材料已上传，请评审组复核"
RECTIFICATION_CONFIRM = "经复核，企业已按整改通知书完成全部隐患整改，整改效果符合要求，同意进入结果确认"


@dataclass(frozen=True)
class LedgerHazard:
    """A hazard an enterprise found itself (自查) or a county officer on inspection (执法).

    ``stage`` names whose it is: the enterprise of the demo case walked to that stage ("ready":
    the demo enterprise). Dates count back from the day of seeding; ``status`` is where the
    enterprise and its verifier have taken it.
    """

    stage: str
    description: str
    location: str
    found_days_ago: int
    due_days: int  # the deadline, in calendar days after the day it was found
    status: str  # pending, in_progress, awaiting_verification or closed
    measures: str
    funds: int | None = None
    clause: tuple[int, int | None] | None = None  # 重大: its basis (article, item)
    source: str = "self_check"  # or "enforcement"
    responsibility: str = ""
    contingency_plan: str = ""


LEDGER_HAZARDS = (
    # 站前区, the demo enterprise (its application is ready: no 重大 hazard may be open).
    LedgerHazard(
        "ready",
        "二号库部分灭火器压力不足，未按月进行检查",
        "二号库",
        12,
        10,
        "closed",
        "更换压力不足的灭火器，落实每月检查",
        800,
    ),
    LedgerHazard(
        "ready",
        "叉车充电区未设置防火分隔，周边堆放纸箱等可燃物",
        "叉车充电区",
        25,
        15,
        "in_progress",
        "清理可燃物，充电区设置防火隔墙和灭火器",
        6000,
    ),
    LedgerHazard(
        "ready", "办公楼一楼疏散通道堆放杂物", "办公楼一楼", 2, 14, "pending", "清理杂物，设置禁止占用标识"
    ),
    # 站前区: found by the county officer on an enforcement inspection (执法).
    LedgerHazard(
        "county_review",
        "钢材堆垛超高，未设置防倾倒措施",
        "露天钢材堆场",
        4,
        14,
        "in_progress",
        "吊车重新码放超高堆垛，堆垛两侧设置防倾倒支架",
        source="enforcement",
    ),
    # 西市区
    LedgerHazard(
        "panel_forming",
        "货架防撞护角缺失，部分立柱底部有撞击变形",
        "一号库货架区",
        30,
        20,
        "closed",
        "加装货架防撞护角，更换变形立柱",
        12000,
    ),
    LedgerHazard(
        "panel_forming",
        "电动叉车蓄电池充电间排风扇损坏",
        "充电间",
        5,
        15,
        "awaiting_verification",
        "更换防爆排风扇并试运行",
        1500,
    ),
    # 鲅鱼圈区: an open 重大 hazard (its case is over: not passed).
    LedgerHazard(
        "not_passed",
        "三号、四号库出租给3家承租单位，未签订安全管理协议，未对承租单位统一协调、管理，未定期进行安全检查",
        "三号、四号库（出租）",
        10,
        30,
        "in_progress",
        "与承租单位签订安全生产管理协议，明确各自职责；纳入统一管理，每月联合检查",
        5000,
        clause=(3, 1),
        responsibility="总经理对整改负总责，资产管理部经理具体落实",
        contingency_plan="整改完成前承租单位不得新增存储物品，每日由本企业安全员巡查出租库房",
    ),
    LedgerHazard(
        "not_passed",
        "行车吊钩防脱装置缺失",
        "五号库行车",
        20,
        7,
        "pending",
        "加装吊钩防脱装置",
        600,
    ),
    # 盖州市: a 重大 hazard closed by the county bureau.
    LedgerHazard(
        "city_returned",
        "氨制冷机房氨气浓度报警装置未与事故排风机联锁，报警装置长期关闭",
        "氨制冷机房",
        40,
        30,
        "closed",
        "恢复并校验氨气浓度报警装置，与事故排风机联锁，每日巡检",
        28000,
        clause=(12, None),
        responsibility="总经理对整改负总责，设备部经理具体落实",
        contingency_plan="整改完成前制冷系统降负荷运行，机房24小时专人值守，配备正压式空气呼吸器",
    ),
    LedgerHazard(
        "city_returned",
        "冷库门内侧应急开门装置失效",
        "二号冷库",
        3,
        10,
        "pending",
        "维修冷库门内开锁装置，每周测试",
        900,
    ),
    # 大石桥市
    LedgerHazard(
        "county_returned",
        "装卸平台升降台未设置防坠落安全支撑",
        "装卸平台",
        15,
        20,
        "awaiting_verification",
        "加装升降台机械安全支撑杆并培训操作人员",
        3500,
    ),
    LedgerHazard(
        "county_returned",
        "库房内电气线路私拉乱接，插座板串接使用",
        "三号库",
        28,
        14,
        "in_progress",
        "拆除私拉线路，由持证电工重新敷设",
        4200,
    ),
    # 老边区
    LedgerHazard(
        "internal_publicity",
        "库区部分应急照明灯具损坏",
        "库区主通道",
        18,
        10,
        "closed",
        "更换损坏的应急照明灯具",
        1200,
    ),
    LedgerHazard(
        "internal_publicity",
        "废机油暂存间未设置防渗漏托盘",
        "危废暂存间",
        6,
        15,
        "awaiting_verification",
        "设置防渗漏托盘和围堰",
        800,
    ),
)
ENFORCEMENT_REQUIREMENT = "按规定限高堆放钢材，设置防倾倒支架，划定堆放区域"
ENFORCEMENT_PROGRESS = "已安排吊车重新码放超高堆垛"

# --- Results: publicity, announcements, certificates, revocation (demo.results) -----------------

# Where the public may object: a fictional address and an obviously made-up number.
PUBLICITY_CONTACT = "营口市应急管理局制造业科（演示），电话 0417-0000000，地址：营口市站前区示例路1号"
# ``{batch}``: 第一批, 第二批…
PUBLICITY_TITLE = "{year}年{batch}工贸企业安全生产标准化三级企业定级公示"
PUBLICITY_INTRO = (
    "根据《企业安全生产标准化建设定级办法》（应急〔2021〕83号），经企业自评、县（市）区应急管理局初审、"
    "市应急管理局受理和现场评审，下列企业拟定为安全生产标准化三级企业，现予以公示。公示期间，任何单位和"
    "个人对公示企业有异议的，可通过本网站“提出异议”或下列联系方式实名反映，并提供相关事实和证据。"
)
PUBLICITY_SUBMIT_COMMENT = "公示名单已核对，请审批"
PUBLICITY_APPROVE_COMMENT = "同意公示"
ANNOUNCEMENT_TITLE = "关于公布{year}年{batch}工贸企业安全生产标准化三级企业名单的公告"
ANNOUNCEMENT_BODY = (
    "根据《企业安全生产标准化建设定级办法》（应急〔2021〕83号），经企业自评、县（市）区初审、市局受理、"
    "现场评审和公示，公示期内未收到异议，现将{year}年{batch}工贸企业安全生产标准化三级企业名单予以公告。\n\n"
    "等级证书有效期3年，自公告之日起计算。取得等级的企业应当每年至少开展一次自评，持续运行安全生产"
    "标准化管理体系；发生生产安全死亡事故等情形的，依照有关规定撤销其等级。"
)
# The objection someone files against a listed enterprise (name and number fictional).
OBJECTION_NAME = "刘示例"
OBJECTION_CONTACT = "13800001234"
OBJECTION_CONTENT = (
    "本人多次路过该企业，发现其二号仓库北侧消防通道长期停放货车、堆放托盘，夜间装卸时有未持证人员"
    "驾驶叉车，与公示的评审结果不符，请予核查。"
)

# The certificate the city proposes to revoke and the 科长 revokes (撤销), and why.
REVOCATION_GROUND = "system_lapsed"
REVOCATION_DETAIL = (
    "县区应急管理局监督检查发现，该企业近一年未开展安全生产标准化自评，安全生产责任制和操作规程长期"
    "未修订，隐患排查治理台账缺失，安全生产标准化管理体系未持续有效运行，情节严重。"
)
REVOCATION_DECISION = (
    "经核查，该企业未按规定持续、有效运行安全生产标准化管理体系，情节严重，依据《企业安全生产标准化"
    "建设定级办法》有关规定，撤销其安全生产标准化三级等级，收回等级证书。"
)
# The death at a certified enterprise the system flags for the 科长 to decide.
FATAL_ACCIDENT = {
    "place": "成品仓库",
    "accident_type": "fall_from_height",
    "description": "检修人员在成品仓库屋面作业时未系安全带，踩破采光板坠落，经抢救无效死亡。（演示数据）",
}


@dataclass(frozen=True)
class DemoArticle:
    """An article of the public portal (宣传). ``attachment``: (file name, title, lines) of a PDF."""

    category: str  # policy_document, policy_interpretation or notice
    title: str
    summary: str
    body: str
    attachment: tuple[str, str, tuple[str, ...]] | None = None
    published: bool = True


DEMO_NOTE = "（本文为演示数据，内容系摘编整理，以正式发布的文件为准。）"

ARTICLES = (
    DemoArticle(
        "policy_document",
        "企业安全生产标准化建设定级办法（应急〔2021〕83号）",
        "应急管理部2021年10月印发，规范企业安全生产标准化定级工作，明确等级划分、定级程序、等级证书和监督管理要求。",
        "应急管理部于2021年10月27日印发《企业安全生产标准化建设定级办法》（应急〔2021〕83号）。现将文件主要"
        "内容摘编如下。\n\n"
        "一、等级划分。企业安全生产标准化等级由高到低分为一级、二级、三级。工贸行业（冶金、有色、建材、机械、"
        "轻工、纺织、烟草、商贸）企业的三级定级工作由设区的市级应急管理部门负责组织。\n\n"
        "二、定级程序。企业标准化定级按照自评、申请、评审、公示、公告的程序进行。企业应当成立由主要负责人"
        "任组长、员工代表参加的工作组，对照所属行业定级标准开展自评，形成自评报告并在企业内部公示。\n\n"
        "三、申请条件。申请定级的企业应当依法取得有关许可，自评结果符合相应等级要求，申请前一年内未发生"
        "生产安全死亡事故，不存在未整改完毕的重大事故隐患，未被列入安全生产严重失信主体名单。\n\n"
        "四、等级证书。经公告的企业由组织单位颁发相应等级的证书，有效期为3年。取得等级的企业应当每年至少"
        "开展一次自评，有效期届满前3个月内可以申请复评。\n\n"
        "五、监督管理。取得等级的企业发生生产安全死亡事故、存在重大事故隐患未按期整改、瞒报谎报事故、提供"
        "虚假材料取得等级证书等情形的，撤销其等级并予以公告。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "policy_document",
        "工贸企业重大事故隐患判定标准（应急管理部令第10号）",
        "自2023年5月15日起施行，明确冶金、有色、建材、机械、轻工、纺织、烟草、商贸等工贸企业重大事故隐患的判定情形。",
        "《工贸企业重大事故隐患判定标准》以应急管理部令第10号公布，自2023年5月15日起施行。现将主要内容"
        "摘编如下。\n\n"
        "一、适用范围。标准适用于判定冶金、有色、建材、机械、轻工、纺织、烟草和商贸等工贸企业的重大事故"
        "隐患。工贸企业内涉及危险化学品、消防（火灾）、燃气、特种设备等方面的重大事故隐患，按照相关行业"
        "领域的判定标准执行。\n\n"
        "二、通用情形（第三条）。未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全"
        "检查的；特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业的；金属冶炼企业主要负责人、"
        "安全生产管理人员未按照规定经考核合格的。\n\n"
        "三、行业和专项情形。第四条至第十条按冶金、有色、建材、机械、轻工、纺织、烟草行业分别列出判定情形；"
        "第十一条至第十三条对存在粉尘爆炸危险、使用液氨制冷、开展有限空间作业的企业作出专项规定。\n\n"
        "四、治理要求。企业发现重大事故隐患，应当立即采取措施；难以立即消除的，应当制定治理方案，落实整改"
        "责任、措施、资金、时限和应急预案（“五落实”），并向属地应急管理部门报告。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "policy_document",
        "营口市应急管理局关于开展工贸企业安全生产标准化三级定级工作的通知",
        "明确我市三级定级的申请条件、在线申请、县区初审和市局受理、免费现场评审、整改闭环及公示公告安排。",
        "各县（市）区应急管理局，各有关企业：\n\n"
        "为贯彻落实《企业安全生产标准化建设定级办法》（应急〔2021〕83号），规范我市工贸企业安全生产标准化"
        "三级定级工作，现将有关事项通知如下。\n\n"
        "一、申请。企业完成自评并在企业内部公示不少于10个工作日后，由主要负责人签署承诺书，通过“安标”"
        "定级管理系统在线提交申请，上传自评报告和附件所列材料。\n\n"
        "二、两级受理。属地县（市）区应急管理局对申请材料进行初审，出具《工贸企业安全生产标准化初审意见》；"
        "市应急管理局制造业科对申请材料和初审意见进行再审，作出受理、补正或者不予受理的决定。\n\n"
        "三、现场评审。市局从技术检查员库中随机抽取5名专家组成评审组（含组长1名），覆盖安全管理、工艺技术"
        "和设备设施专业；市、县两级监管人员全程参加。现场评审不向企业收取任何费用。\n\n"
        "四、整改闭环。评审发现的问题实行一企一策，企业按整改台账限期整改，评审组组长逐项跟踪验收销号。\n\n"
        "五、公示公告。评审通过的企业在本网站公示7个工作日；公示无异议的，予以公告并颁发等级证书。\n\n"
        "附件：三级定级申请材料清单\n\n营口市应急管理局\n" + DEMO_NOTE,
        attachment=(
            "三级定级申请材料清单.pdf",
            "工贸企业安全生产标准化三级定级申请材料清单",
            (
                "1. 安全生产标准化三级定级申请表",
                "2. 企业自评报告（加盖企业公章）",
                "3. 自评工作组名单及内部公示情况说明",
                "4. 主要负责人签署的承诺书",
                "5. 营业执照及相关许可证件",
                "6. 主要负责人、安全生产管理人员和特种作业人员持证清单",
                "7. 近一年生产安全事故情况说明",
                "（演示数据）",
            ),
        ),
    ),
    DemoArticle(
        "policy_interpretation",
        "政策解读：三级定级实行“县区初审、市局受理”两级把关",
        "为什么要经过县区初审？初审看什么？如何减少补正次数？一文读懂我市三级定级的两级受理流程。",
        "问：企业提交申请后，为什么先由县（市）区应急管理局初审？\n"
        "答：属地监管部门最了解企业的日常安全管理情况。初审时，县区核实企业基本信息、证照和人员持证情况，"
        "抽查自评扣分项，必要时到现场查看，并出具初审意见，为市局受理把好第一道关。\n\n"
        "问：市局再审看什么？\n"
        "答：市应急管理局制造业科审查申请材料是否齐全、自评报告与附件是否一致、申请条件是否满足，并结合"
        "初审意见作出受理、补正或者不予受理的决定。\n\n"
        "问：材料被退回补正怎么办？\n"
        "答：补正告知书会逐项列明问题和修改要求，企业一次性补正后重新提交即可。建议企业在提交前对照材料"
        "清单逐项自查，并主动听取属地监管部门的指导意见。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "policy_interpretation",
        "政策解读：安全生产标准化现场评审免费，企业无需缴纳任何费用",
        "自2024年起，我市三级定级现场评审不向企业收费；评审专家由市局从技术检查员库中随机抽取。",
        "自2024年起，我市工贸企业安全生产标准化三级定级现场评审工作由市应急管理局组织实施，不向企业收取"
        "任何费用。\n\n"
        "评审专家由市局从技术检查员库中随机抽取，抽取过程全程留痕、可复核；与企业存在任职、咨询服务或近亲属"
        "等利害关系的专家依规回避。\n\n"
        "评审专家不得向企业收取费用、索要财物或者推销咨询服务。企业发现上述情况的，可向市应急管理局制造业科"
        "反映。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "policy_interpretation",
        "政策解读：现场评审发现的问题如何整改——整改闭环管理要点",
        "一企一策整改方案、隐患整改台账、重大事故隐患“五落实”和组长跟踪验收，构成整改闭环。",
        "一、一企一策。现场评审结束后，评审组针对企业存在的问题制定一企一策整改方案，逐项明确整改要求、"
        "责任人和整改期限。\n\n"
        "二、整改台账。企业在“安标”系统的隐患整改台账中报告整改进展，上传整改前后照片和整改记录。\n\n"
        "三、重大事故隐患“五落实”。对照《工贸企业重大事故隐患判定标准》判定为重大事故隐患的，企业必须落实"
        "整改责任、措施、资金、时限和应急预案；逾期未整改的，由市局督办，并作为撤销等级的情形之一。\n\n"
        "四、跟踪验收。评审组组长逐项复核企业的整改情况，整改到位的予以销号，不到位的退回重新整改。全部问题"
        "整改完毕、组长确认后，方可进入结果确认和公示。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "policy_interpretation",
        "解读《工贸企业重大事故隐患判定标准》：商贸仓储企业重点关注哪些情形",
        "商贸行业没有单独的行业条款，主要适用通用情形和有限空间、粉尘防爆、液氨制冷等专项情形。",
        "《工贸企业重大事故隐患判定标准》第四条至第十条按行业列出判定情形，商贸行业没有单独的行业条款。"
        "商贸仓储企业主要应当关注以下情形。\n\n"
        "一、通用情形。将仓库、场地出租或者发包的，应当与承租、承包单位签订安全生产管理协议，统一协调管理"
        "并定期检查；叉车司机、电工等特种作业人员必须持证上岗。\n\n"
        "二、有限空间作业。污水池、化粪池、地下管沟等有限空间作业，应当落实审批、先通风再检测后作业、专人"
        "监护等要求。\n\n"
        "三、冷库和粮食仓储。使用液氨制冷的冷库、存在粉尘爆炸危险的粮食和饲料仓储企业，应当对照专项条款"
        "逐项排查。\n\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "notice",
        "关于做好取得等级企业年度自评工作的通知",
        "取得三级等级的企业应在证书每个周年日前完成年度自评，并通过“安标”系统填报自评结果。",
        "各取得安全生产标准化三级等级的企业：\n\n"
        "根据《企业安全生产标准化建设定级办法》，取得等级的企业应当每年至少开展一次自评，持续运行安全生产"
        "标准化管理体系。现就年度自评工作通知如下。\n\n"
        "一、自评时间。企业应当在等级证书每个周年日前完成本年度自评，系统将提前30天发送提醒。\n\n"
        "二、自评方式。企业主要负责人组织工作组，按照所属行业定级标准逐项评分，在“安标”系统的证书页面"
        "填报年度自评，由主要负责人确认提交，并在企业内部公示。\n\n"
        "三、有关要求。未按要求开展年度自评的企业，不得适用复评直接公示公告的简化程序；发生生产安全死亡"
        "事故的企业，应当重新开展自评。\n\n营口市应急管理局制造业科\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "notice",
        "关于举办工贸企业安全生产标准化定级工作培训班的通知",
        "市局将分两期举办定级工作培训，讲解83号文、重大事故隐患判定标准和“安标”系统操作。",
        "各县（市）区应急管理局，各有关企业：\n\n"
        "为帮助企业准确理解定级要求、规范开展自评和申请，市应急管理局将举办工贸企业安全生产标准化定级"
        "工作培训班。\n\n"
        "一、培训内容。《企业安全生产标准化建设定级办法》解读；《工贸企业重大事故隐患判定标准》解读；自评"
        "报告编写要点；“安标”定级管理系统在线申请、整改台账和年度自评操作。\n\n"
        "二、参训人员。拟申请定级企业的主要负责人或安全管理负责人，各县（市）区应急管理局业务人员。\n\n"
        "三、有关要求。培训不收取任何费用，请各县（市）区应急管理局组织辖区企业报名。\n\n"
        "营口市应急管理局制造业科\n" + DEMO_NOTE,
    ),
    DemoArticle(
        "notice",
        "关于开展技术检查员库补充遴选工作的通知（征求意见稿）",
        "拟面向社会补充遴选一批安全管理、工艺技术和设备设施专业技术检查员。",
        "为满足工贸企业安全生产标准化现场评审工作需要，市应急管理局拟补充遴选一批技术检查员。\n\n"
        "一、遴选条件。具有中级以上专业技术职称或注册安全工程师资格，从事安全生产相关工作5年以上，熟悉"
        "工贸行业安全生产法律法规和标准。\n\n"
        "二、遴选程序。个人申请、单位推荐、资格审查、培训考核、公示聘任。\n\n"
        "（草稿，待科长审定后发布）\n" + DEMO_NOTE,
        published=False,
    ),
)

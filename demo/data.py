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
EXPERT_INDUSTRY_WEIGHTS = {
    "metallurgy": 4,
    "nonferrous": 4,
    "building_materials": 4,
    "machinery": 6,
    "light_industry": 5,
    "textiles": 2,
    "tobacco": 1,
    "commerce_trade": 3,
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

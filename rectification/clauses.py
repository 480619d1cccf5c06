"""The seed of the major-hazard clause table: 应急管理部令第10号《工贸企业重大事故隐患判定标准》.

Article 3's three items in full, and the heads of Articles 4–14 as domain.md §8 gives them.
The full items of Articles 4–14 are added by an administrator from the gazette (the admin
page of ``MajorHazardClause``); a later revision becomes a new ``version``.
"""

from datetime import date

VERSION = "应急管理部令第10号（2023）"
EFFECTIVE_FROM = date(2023, 5, 15)
ALL: list[str] = []  # every 工贸 industry

CLAUSES = [
    # article, item, industries, text
    (3, None, ALL, "工贸企业有下列情形之一的，应当判定为重大事故隐患"),
    (3, 1, ALL, "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的"),
    (3, 2, ALL, "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的"),
    (3, 3, ["metallurgy", "nonferrous"], "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的"),
    (
        4,
        None,
        ["metallurgy"],
        "冶金企业重大事故隐患（如：会议室、活动室、休息室、操作室、交接班室、更衣室等6类人员聚集场所设置在熔融金属吊运跨的地坪区域内）",
    ),
    (5, None, ["nonferrous"], "有色企业重大事故隐患"),
    (6, None, ["building_materials"], "建材企业重大事故隐患"),
    (7, None, ["machinery"], "机械企业重大事故隐患"),
    (8, None, ["light_industry"], "轻工企业重大事故隐患"),
    (9, None, ["textiles"], "纺织企业重大事故隐患"),
    (10, None, ["tobacco"], "烟草企业重大事故隐患"),
    (
        11,
        None,
        ALL,
        "存在粉尘爆炸危险的工贸企业重大事故隐患（如：干式除尘系统未采取泄爆、隔爆、惰化、抑爆等任一种爆炸防控措施；20区未使用防爆电气设备设施）",
    ),
    (
        12,
        None,
        ALL,
        "使用液氨制冷的工贸企业重大事故隐患（如：快速冻结装置未设置在单独的作业间内，且作业间内作业人员数量超过9人）",
    ),
    (
        13,
        None,
        ALL,
        "存在硫化氢、一氧化碳等中毒风险的有限空间作业的工贸企业重大事故隐患（如：未对有限空间进行辨识、建立安全管理台账，或未落实作业审批、专人监护）",
    ),
    (
        14,
        None,
        ALL,
        "存在本标准所列情形的安全监测监控、报警、防护等设施设备失效、关闭或者被破坏的，应当判定为重大事故隐患",
    ),
]

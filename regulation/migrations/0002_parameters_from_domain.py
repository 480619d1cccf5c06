"""Seed every regulation parameter of domain.md §12 with its confidence and source note.

All [M], [L] and [D] values are unverified: confirm them with the bureau before go-live.
"""

from datetime import date

from django.db import migrations

WD, MONTHS, YEARS, DAYS, HOURS = "working_days", "months", "years", "days", "hours"
PARAMETERS = [
    # key, label, value, unit, confidence, source note
    ("internal_publicity_min", "自评内部公示最少天数", "10", WD, "M", "83号 自评"),
    ("county_review_limit", "县区初审时限", "10", WD, "D", "design default"),
    ("city_correction_notice_limit", "市局补正告知时限", "5", WD, "M", "83号"),
    ("city_review_limit", "市局再审时限", "10", WD, "M", "邢台 10; elsewhere 5 [L]"),
    ("site_review_limit", "受理后组织现场评审时限", "20", WD, "M", "40 WD [L]; 3 months in 2011 [V]"),
    ("rectification_limit", "整改时限", "20", WD, "M", "83号"),
    ("rectification_extension_max", "整改最长延期", "20", WD, "M", "83号"),
    ("rectification_confirm_limit", "整改复查时限", "10", WD, "M", "83号"),
    ("result_confirmation_limit", "结果确认时限", "5", WD, "D", "design default"),
    ("publicity_min", "公示最少天数", "7", WD, "M", "draft 5 [V]; 邢台 7 [L]; confirm with the bureau"),
    ("objection_check_limit", "异议核查时限", "10", WD, "D", "design default"),
    ("recusal_request_window", "申请回避期限", "2", WD, "D", "design default"),
    ("review_notice_lead", "评审通知提前天数", "3", WD, "D", "design default"),
    ("validity", "证书有效期", "3", YEARS, "V", "old regime V; 83号 M"),
    ("renewal_window", "复评申请窗口", "3", MONTHS, "M", "old regime V"),
    ("renewal_reminders", "到期提醒（到期前天数）", "120, 90", DAYS, "D", "design default"),
    ("eligibility_window", "申请条件事故统计期", "12", MONTHS, "V", "2021 draft"),
    ("eligibility_max_deaths", "统计期内死亡人数上限", "0", "persons", "V", "2021 draft"),
    ("eligibility_serious_injury_block", "统计期内重伤人数（达到即不得申请）", "3", "persons", "V", "2021 draft"),
    ("eligibility_loss_block", "统计期内直接经济损失（达到即不得申请）", "1000000", "yuan", "V", "2021 draft"),
    ("revocation_window", "撤销统计期", "12", MONTHS, "M", "83号"),
    ("revocation_serious_injury", "撤销：统计期内重伤人数", "3", "persons", "M", "83号"),
    ("revocation_loss", "撤销：统计期内直接经济损失", "1000000", "yuan", "M", "83号"),
    ("fast_track_serious_injury_l23", "直接公示公告：重伤人数上限（二、三级）", "5", "persons", "M", "verify"),
    ("fast_track_loss_l23", "直接公示公告：直接经济损失上限（二、三级）", "5000000", "yuan", "M", "verify"),
    ("ban_not_passed", "未通过后禁申期", "12", MONTHS, "M", "83号"),
    ("ban_not_accepted", "不予受理后禁申期", "0", MONTHS, "D", "open question for the bureau"),
    ("ban_revocation", "撤销后禁申期", "12", MONTHS, "M", "older provincial rule V"),
    ("ban_false_commitment", "承诺不实后禁申期", "36", MONTHS, "M", "83号"),
    ("panel_size", "评审组人数", "5", "persons", "V", "Yingkou 2025-03-13 report"),
    ("panel_leaders", "评审组组长人数", "1", "persons", "V", "Yingkou 2025-03-13 report"),
    ("panel_min_size", "评审组最少人数", "2", "persons", "L", "other provinces"),
    ("panel_reserves", "备选专家人数", "3", "persons", "D", "design default"),
    ("expert_confirm_limit", "专家确认时限", "1", WD, "D", "design default"),
    ("coi_employment_lookback", "回避：曾任职回溯期", "3", YEARS, "L", "Zhejiang analogue"),
    ("coi_consulting_lookback", "回避：咨询服务回溯期", "3", YEARS, "L", "Zhejiang analogue"),
    ("coi_enforcement_lookback", "回避：执法检查回溯期", "12", MONTHS, "D", "design default"),
    ("expert_min_experience", "专家最少从业年限", "5", YEARS, "L", "Gansu 8"),
    ("expert_rating_limit", "专家评价时限", "2", WD, "L", "analogue"),
    ("expert_exit_avg_rating", "专家退出：平均评分低于", "60", "percent", "L", "analogue"),
    ("expert_inactivity_exit", "专家退出：无故不参加评审", "12", MONTHS, "L", "Shanghai analogue"),
    ("accident_report_to_county", "事故报告县区时限", "1", HOURS, "V", "493号令"),
    ("accident_report_per_level", "事故逐级上报时限", "2", HOURS, "V", "493号令"),
    ("accident_supplement", "事故补报时限", "30", DAYS, "V", "493号令 (road/fire 7)"),
    ("accident_investigation", "事故调查期限", "60", DAYS, "M", "493号令 (+60)"),
    ("injury_serious_min_lost_days", "重伤最少损失工作日", "105", DAYS, "V", "GB 6441"),
    ("injury_death_lost_days", "死亡折算损失工作日", "6000", DAYS, "V", "GB 6441"),
    ("deadline_alert_fraction", "时限预警比例", "0.8", "fraction", "D", "design default"),
]


def forwards(apps, schema_editor):
    Parameter = apps.get_model("regulation", "RegulationParameter")
    for key, label, value, unit, confidence, note in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key,
            effective_from=date(2021, 10, 27),  # 83号 (应急〔2021〕83号) was issued on this day
            defaults={"label": label, "value": value, "unit": unit, "confidence": confidence, "source_note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("regulation", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

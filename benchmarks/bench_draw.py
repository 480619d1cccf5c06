"""Benchmark of the pure panel draw: 50 applications reviewed on one day, drawn from 500 experts.

Run: .venv/bin/python benchmarks/bench_draw.py  (prints the median and total time of the 50 draws)

The pool and the applications are generated from a fixed seed. The draws run one after the
other, as on a busy day: each draw marks its members busy on that day, so the next draw sees
a smaller pool. Each timing covers the whole ``draw`` call (canonical inputs, SHA-256 digests,
exclusions, ranking, coverage search, leader and reserves).
"""

import os
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from experts.models import Skill, Specialty  # noqa: E402
from lib.industries import Industry  # noqa: E402
from reviews.draw import RISK_TAG_SKILLS, Candidate, DrawRules, Relation, Target, draw  # noqa: E402

REVIEW_DAY = date(2025, 6, 10)
DIVISIONS = ("210802", "210803", "210804", "210811", "210881", "210882")
SPECIALTIES = [s.value for s in Specialty]
INDUSTRIES = [i.value for i in Industry]
SKILLS = [s.value for s in Skill]
TAGS = list(RISK_TAG_SKILLS)


def uscc(n: int) -> str:
    return f"912108{n:012d}"


def make_experts(rnd: random.Random, count: int = 500) -> list[Candidate]:
    experts = []
    for n in range(1, count + 1):
        relations = tuple(
            Relation(
                rnd.choice(("employment", "consulting", "relative", "other")),
                uscc(rnd.randrange(1, 60)),
                None,
                rnd.choice((None, REVIEW_DAY - timedelta(days=rnd.randrange(30, 3000)))),
            )
            for _ in range(rnd.choice((0, 0, 0, 1, 2)))
        )
        start = REVIEW_DAY + timedelta(days=rnd.randrange(-60, 60))
        experts.append(
            Candidate(
                expert_id=n,
                name=f"专家{n}",
                status=rnd.choices(("active", "suspended", "exited"), (94, 4, 2))[0],
                specialties=tuple(rnd.sample(SPECIALTIES, rnd.choice((1, 1, 2, 2, 3)))),
                industries=tuple(rnd.sample(INDUSTRIES, rnd.choice((1, 2, 3)))),
                skills=tuple(rnd.sample(SKILLS, rnd.choice((0, 0, 1, 1, 2)))),
                division_code=rnd.choice(DIVISIONS),
                employer_uscc=uscc(rnd.randrange(1, 400)),
                can_lead=rnd.random() < 0.3,
                years_of_experience=rnd.randrange(5, 35),
                rating=rnd.choice((None, Decimal(rnd.randrange(600, 1000)) / 10)),
                relations=relations,
                unavailable=((start, start + timedelta(days=rnd.randrange(1, 20))),)
                if rnd.random() < 0.2
                else (),
                certificate_expiries=(REVIEW_DAY + timedelta(days=rnd.randrange(-30, 1500)),),
                panels_in_window=rnd.randrange(0, 8),
                term_until=REVIEW_DAY + timedelta(days=rnd.randrange(-20, 1500)),
            )
        )
    return experts


def make_targets(rnd: random.Random, count: int = 50) -> list[Target]:
    return [
        Target(
            application_id=n,
            application_number=f"YK-2025-{n:04d}",
            enterprise_uscc=uscc(n),
            enterprise_name=f"企业{n}",
            division_code=rnd.choice(DIVISIONS),
            industry=rnd.choice(INDUSTRIES),
            risk_tags=tuple(rnd.sample(TAGS, rnd.choice((0, 1, 1, 2)))),
            review_date=REVIEW_DAY,
            previous_reviewer_ids=tuple(rnd.sample(range(1, 501), 5)),
        )
        for n in range(1, count + 1)
    ]


def main() -> None:
    rnd = random.Random(20250610)
    experts = {c.expert_id: c for c in make_experts(rnd)}
    targets = make_targets(rnd)
    rules = DrawRules()
    timings, failed, unmet = [], 0, 0
    for target in targets:
        seed = rnd.getrandbits(63)
        start = time.perf_counter()
        result = draw(target, experts.values(), rules, seed)
        timings.append(time.perf_counter() - start)
        if not result.ok:
            failed += 1
            continue
        unmet += bool(result.unmet_soft)
        for member in result.members:
            c = experts[member]
            experts[member] = replace(c, busy_dates=(*c.busy_dates, REVIEW_DAY))
    print(f"{len(targets)} draws from {len(experts)} experts on one day")
    print(f"median {statistics.median(timings) * 1000:.2f} ms, total {sum(timings) * 1000:.1f} ms")
    print(f"{len(targets) - failed} panels drawn, {failed} failed, {unmet} with unmet special risks")


if __name__ == "__main__":
    main()

"""Synthetic department-years for tests and benchmarks (never written under ``data/``).

``generate(seed)`` gives one internally consistent department-year in the
shanxi-county-13 template, deterministic from ``random.Random(seed)``;
``generate_series`` gives several consecutive years of one department (for
year-over-year); ``inject`` adds labelled errors of every rule family; ``write_batch``
writes datasets (and disclosure texts) to a folder. See ``budgetkit.synth.write``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from budgetkit.core.model import Disclosure, Metadata
from budgetkit.core.template import DEFAULT_TEMPLATE, load_template
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.synth.forms import build_forms
from budgetkit.synth.inject import FAMILIES, Injected, inject
from budgetkit.synth.narrative import Prior, invented_prior, narrative_text, prior_of
from budgetkit.synth.plan import Plan, new_plan, next_year
from budgetkit.synth.tables import build_tables


@dataclass
class Synthetic:
    """One generated department-year: the plan behind it, the disclosure, and any injected errors."""

    plan: Plan
    disclosure: Disclosure
    injected: list[Injected] = field(default_factory=list)


def _disclosure(plan: Plan, prior: Prior, rng: random.Random) -> Disclosure:
    template = load_template(DEFAULT_TEMPLATE)
    meta = Metadata(department=plan.department, department_code=plan.department_code, year=plan.year,
                    template=template.id, slug=plan.slug)
    narrative = segment_narrative(narrative_text(plan, template, prior, rng=rng))
    return Disclosure(meta=meta, tables=build_tables(plan, template), narrative=narrative,
                      forms=build_forms(rng, plan))


def generate_series(seed: int, *, years: int = 1, last_year: int = 2024, index: int = 0,
                    inject_families: tuple[str, ...] = ()) -> list[Synthetic]:
    """``years`` consecutive department-years of one generated department, oldest first.

    Errors (``inject_families``) go into the last year only; earlier years stay clean.
    """
    rng = random.Random(seed)
    plan = new_plan(rng, last_year - years + 1, index)
    prior = invented_prior(rng, plan)
    out = []
    for i in range(years):
        if i:
            prior = prior_of(plan)
            plan = next_year(rng, plan)
        out.append(Synthetic(plan=plan, disclosure=_disclosure(plan, prior, rng)))
    if inject_families:
        last = out[-1]
        last.injected = inject(last.disclosure, inject_families, random.Random(seed + 1))
    return out


def generate(seed: int, *, year: int = 2024, index: int = 0, inject_families: tuple[str, ...] = ()) -> Synthetic:
    """One department-year."""
    return generate_series(seed, years=1, last_year=year, index=index, inject_families=inject_families)[0]


__all__ = ["FAMILIES", "Injected", "Synthetic", "generate", "generate_series", "inject"]

"""The demo company, Boréal Emballages: a deterministic, believable organisation.

:func:`generate_company` plans the whole company in memory from one ``random.Random(seed)``
(the same people count and seed always give the same names, teams, skills and events), then
writes it in one transaction with bulk inserts (``executemany``, no per-row query). Learning
events are built by :func:`sylva.people.services.build_event`, day by day, each day from its
own seed, so that forked workers can build them in parallel for large companies: 100,000
people and 2 million events take a few minutes on SQLite. :func:`reset_company` removes the
company again; :func:`demo_accounts` lists the persona accounts that ``sylva seed`` and
``sylva demo`` print.
"""

from sylva.people.seed.catalogue import DEMO_PASSWORD, MIN_PEOPLE, PERSONAS, SeedSummary
from sylva.people.seed.company import demo_accounts, generate_company, reset_company

__all__ = [
    "DEMO_PASSWORD",
    "MIN_PEOPLE",
    "PERSONAS",
    "SeedSummary",
    "demo_accounts",
    "generate_company",
    "reset_company",
]

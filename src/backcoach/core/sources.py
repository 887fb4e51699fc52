"""The documents and public guidelines that every clinical number in backcoach cites.

A dose in the catalogue names a seed document by its file name. Where no seed gives a
number, a default may lean on a named public guideline listed here instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str  # "seed" (one of the five source articles) or "guideline"


SEEDS: dict[str, Source] = {
    s.id: s
    for s in (
        Source("000_c93f4b904139ebfa.txt", "Article: lower back pain and core muscles", "seed"),
        Source("001_439fa7176d512855.txt", "Article: best exercises for your spine and back", "seed"),
        Source("002_17edfd41803de707.txt", "Article: a daily lower back routine", "seed"),
        Source("003_f764da1d5ae4ae81.txt", "Article: lower back pain exercises that work", "seed"),
        Source("004_7cab17a5ac68f44c.txt", "Article: best back pain exercises", "seed"),
    )
}

GUIDELINES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "ACSM-2011",
            "ACSM position stand, Garber et al. 2011, Med Sci Sports Exerc 43:1334-59",
            "guideline",
        ),
        Source("WHO-2020", "WHO guidelines on physical activity and sedentary behaviour, 2020", "guideline"),
        Source("NICE-NG59", "NICE guideline NG59: low back pain and sciatica in over 16s", "guideline"),
        Source("NICE-NG65", "NICE guideline NG65: spondyloarthritis in over 16s", "guideline"),
        Source("NCBI-NBK52120", "NCBI Bookshelf NBK52120: red flags in low back pain", "guideline"),
        Source("OSTELO-2008", "Ostelo et al. 2008, Spine 33:90-4: meaningful change in pain", "guideline"),
        Source("MEDBRIDGE", "Medbridge Pathways pain monitoring thresholds", "guideline"),
        Source("SMITH-2017", "Smith et al. 2017, Br J Sports Med 51:1679-87: pain during exercise", "guideline"),
    )
}

ALL_SOURCES: dict[str, Source] = {**SEEDS, **GUIDELINES}


def is_seed(source_id: str) -> bool:
    return source_id in SEEDS


def is_guideline(source_id: str) -> bool:
    return source_id in GUIDELINES

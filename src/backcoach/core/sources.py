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
            "American College of Sports Medicine advice on exercise for adults (Garber et al. 2011, "
            "Med Sci Sports Exerc 43:1334-59)",
            "guideline",
        ),
        Source("WHO-2020", "WHO guidelines on physical activity and sedentary behaviour, 2020", "guideline"),
        Source("NICE-NG59", "NICE guideline NG59: low back pain and sciatica in over 16s", "guideline"),
        Source("NICE-NG65", "NICE guideline NG65: spondyloarthritis in over 16s", "guideline"),
        Source("NCBI-NBK52120", "NCBI Bookshelf NBK52120: red flags in low back pain", "guideline"),
        Source(
            "NICE-CKS-LBP",
            "NICE Clinical Knowledge Summaries: back pain, low (without radiculopathy)",
            "guideline",
        ),
        Source("NICE-CKS-NECK", "NICE Clinical Knowledge Summaries: neck pain, non-specific", "guideline"),
        Source("NICE-NG41", "NICE guideline NG41: spinal injury, assessment and initial management", "guideline"),
        Source(
            "IFOMPT-2020",
            "IFOMPT International Framework for Examination of the Cervical Region, Rushton et al. 2020",
            "guideline",
        ),
        Source(
            "STRATFORD-1995",
            "Stratford et al. 1995, Physiotherapy Canada 47:258-63: the Patient-Specific Functional Scale",
            "guideline",
        ),
        Source(
            "ABBOTT-2014",
            "Abbott and Schmitt 2014, J Orthop Sports Phys Ther 44:560-4: important change on the "
            "Patient-Specific Functional Scale",
            "guideline",
        ),
        Source("OSTELO-2008", "Ostelo et al. 2008, Spine 33:90-4: meaningful change in pain", "guideline"),
        Source("MEDBRIDGE", "Medbridge Pathways pain monitoring thresholds", "guideline"),
        Source("SMITH-2017", "Smith et al. 2017, Br J Sports Med 51:1679-87: pain during exercise", "guideline"),
        # Precautions for health conditions: each exercise file says which apply (see `Precaution`).
        Source(
            "ROS-2019",
            "Strong, Steady and Straight: the Royal Osteoporosis Society's expert consensus on exercise "
            "with osteoporosis, 2019 (Brooke-Wavell et al., Br J Sports Med 2022;56:837-46)",
            "guideline",
        ),
        Source(
            "TOO-FIT-TO-FRACTURE",
            "Too Fit To Fracture: Osteoporosis Canada's exercise advice for people with osteoporosis "
            "(Giangregorio et al., Osteoporos Int 2014;25:821-35)",
            "guideline",
        ),
        Source(
            "NHS-LEEDS-THR",
            "Total hip replacement: a guide to your rehabilitation (Leeds Teaching Hospitals NHS Trust, "
            "patient leaflet)",
            "guideline",
        ),
        Source("NHS-PREGNANCY", "Exercise in pregnancy (NHS website, nhs.uk)", "guideline"),
        Source(
            "ACOG-804",
            "Physical activity and exercise during pregnancy and the postpartum period (ACOG Committee "
            "Opinion 804, 2020)",
            "guideline",
        ),
    )
}

ALL_SOURCES: dict[str, Source] = {**SEEDS, **GUIDELINES}


def is_seed(source_id: str) -> bool:
    return source_id in SEEDS


def is_guideline(source_id: str) -> bool:
    return source_id in GUIDELINES

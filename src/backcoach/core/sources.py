"""The documents and public guidelines that every clinical number in backcoach cites.

A dose in the catalogue names a seed document by its file name. Where no seed gives a
number, a default may lean on a named public guideline listed here instead.

File names and ids are for the data files and developer docs. A person only ever reads a
source's `title` (a short name in plain words), its `about` line (what it is) and, for a
guideline, its `citation` (the full reference, for a clinician who wants to look it up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    title: str  # the short name a person reads
    kind: str  # "seed" (one of the five source articles) or "guideline"
    about: str  # one line, in our words: what it is
    citation: str | None = None  # a guideline's full reference; the seeds are web articles with none


SEEDS: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "000_c93f4b904139ebfa.txt",
            "Lower back pain and core muscles",
            "seed",
            "A short web article on why strong muscles around your middle help your back, with four gentle "
            "exercises to start with.",
        ),
        Source(
            "001_439fa7176d512855.txt",
            "The best exercises for your spine and back",
            "seed",
            "A web article with three exercises for the lower back, and how many times to do each one.",
        ),
        Source(
            "002_17edfd41803de707.txt",
            "A daily lower back routine",
            "seed",
            "A web article with five exercises to do every day for the lower back, with how long to hold "
            "each one and how many times.",
        ),
        Source(
            "003_f764da1d5ae4ae81.txt",
            "Lower back pain exercises that work",
            "seed",
            "A short web article on stretches for the neck, back, hips and buttocks, to do every day.",
        ),
        Source(
            "004_7cab17a5ac68f44c.txt",
            "The best back pain exercises",
            "seed",
            "A short web article on stretching and strengthening the muscles that hold up your back, stretches first.",
        ),
    )
}

GUIDELINES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "ACSM-2011",
            "Sports medicine advice on exercise for adults (2011)",
            "guideline",
            "The American College of Sports Medicine's advice on how much exercise adults need.",
            "Garber CE et al. American College of Sports Medicine position stand. Quantity and quality of "
            "exercise for developing and maintaining cardiorespiratory, musculoskeletal, and neuromotor "
            "fitness in apparently healthy adults. Med Sci Sports Exerc 2011;43:1334-59.",
        ),
        Source(
            "WHO-2020",
            "World Health Organization advice on being active (2020)",
            "guideline",
            "How much activity the World Health Organization advises for people of every age.",
            "WHO guidelines on physical activity and sedentary behaviour. World Health Organization, 2020.",
        ),
        Source(
            "NICE-NG59",
            "NICE guideline on low back pain (NG59)",
            "guideline",
            "Advice for doctors in the UK on low back pain and sciatica, from NICE, the UK health guidance body.",
            "NICE guideline NG59: low back pain and sciatica in over 16s: assessment and management.",
        ),
        Source(
            "NICE-NG65",
            "NICE guideline on back pain from inflamed joints (NG65)",
            "guideline",
            "Advice for doctors in the UK on spondyloarthritis, a kind of back pain caused by inflamed joints.",
            "NICE guideline NG65: spondyloarthritis in over 16s: diagnosis and management.",
        ),
        Source(
            "NCBI-NBK52120",
            "A medical reference on warning signs in low back pain",
            "guideline",
            "A medical reference for doctors on the signs in low back pain that need a doctor's check.",
            "NCBI Bookshelf NBK52120: red flags in low back pain.",
        ),
        Source(
            "NICE-CKS-LBP",
            "NICE summary for doctors on low back pain",
            "guideline",
            "A short guide for family doctors in the UK on low back pain that does not go down a leg.",
            "NICE Clinical Knowledge Summaries: back pain, low (without radiculopathy).",
        ),
        Source(
            "NICE-CKS-NECK",
            "NICE summary for doctors on neck pain",
            "guideline",
            "A short guide for family doctors in the UK on neck pain.",
            "NICE Clinical Knowledge Summaries: neck pain, non-specific.",
        ),
        Source(
            "NICE-NG41",
            "NICE guideline on spine injuries (NG41)",
            "guideline",
            "Advice for doctors in the UK on checking the spine after an accident or a fall.",
            "NICE guideline NG41: spinal injury: assessment and initial management.",
        ),
        Source(
            "IFOMPT-2020",
            "Physiotherapists' guide to checking the neck (2020)",
            "guideline",
            "An international guide for physiotherapists on signs that a neck problem needs a doctor.",
            "IFOMPT International Framework for Examination of the Cervical Region, Rushton et al. 2020.",
        ),
        Source(
            "OSTELO-2008",
            "A study of how big a change in pain matters (2008)",
            "guideline",
            "Researchers agreed how much pain has to change before a person feels a real difference.",
            "Ostelo RW et al. Interpreting change scores for pain and functional status in low back pain: "
            "towards international consensus regarding minimal important change. Spine 2008;33:90-4.",
        ),
        Source(
            "MEDBRIDGE",
            "Physiotherapy advice on watching pain and progress during exercise",
            "guideline",
            "The pain levels, gaps in exercise and changes in everyday activities that physiotherapists watch "
            "for while a person exercises at home.",
            "Medbridge Pathways: monitoring thresholds for pain, engagement and function.",
        ),
        Source(
            "SMITH-2017",
            "A review of studies on exercise that hurts a little (2017)",
            "guideline",
            "Researchers looked at many studies to see whether some pain during exercise does harm.",
            "Smith BE et al. Should exercises be painful in the management of chronic musculoskeletal pain? "
            "A systematic review and meta-analysis. Br J Sports Med 2017;51:1679-87.",
        ),
        Source(
            "STRATFORD-1995",
            "A study of a scale for everyday activities (1995)",
            "guideline",
            "The paper that made the scale you rate your own activities on, and said how big a change is real.",
            "Stratford P et al. Assessing disability and change on individual patients: a report of a patient "
            "specific measure. Physiotherapy Canada 1995;47:258-63.",
        ),
        Source(
            "ABBOTT-2014",
            "A study of how big a change in everyday activities matters (2014)",
            "guideline",
            "Researchers worked out how much the scores on that activity scale have to change to matter.",
            "Abbott JH, Schmitt JS. Minimum important differences for the Patient-Specific Functional Scale, "
            "4 region-specific outcome measures, and the Numeric Pain Rating Scale. "
            "J Orthop Sports Phys Ther 2014;44:560-4.",
        ),
        # Precautions for health conditions: each exercise file says which apply (see `Precaution`).
        Source(
            "ROS-2019",
            "Royal Osteoporosis Society advice on exercise with thin bones (2019)",
            "guideline",
            "UK experts' advice on safe exercise for people with thin bones (osteoporosis).",
            "Strong, Steady and Straight: the Royal Osteoporosis Society's expert consensus on exercise "
            "with osteoporosis, 2019 (Brooke-Wavell et al., Br J Sports Med 2022;56:837-46).",
        ),
        Source(
            "TOO-FIT-TO-FRACTURE",
            "Osteoporosis Canada advice on exercise with thin bones",
            "guideline",
            "Canadian experts' advice on safe exercise for people with thin bones (osteoporosis).",
            "Too Fit To Fracture: Osteoporosis Canada's exercise advice for people with osteoporosis "
            "(Giangregorio et al., Osteoporos Int 2014;25:821-35).",
        ),
        Source(
            "NHS-LEEDS-THR",
            "NHS leaflet on getting better after a hip replacement",
            "guideline",
            "A hospital leaflet on moving safely in the months after a new hip.",
            "Total hip replacement: a guide to your rehabilitation. Leeds Teaching Hospitals NHS Trust, "
            "patient leaflet.",
        ),
        Source(
            "NHS-PREGNANCY",
            "NHS advice on exercise in pregnancy",
            "guideline",
            "The UK health service's advice on staying active while you are pregnant.",
            "Exercise in pregnancy. NHS website, nhs.uk.",
        ),
        Source(
            "ACOG-804",
            "US doctors' advice on exercise in pregnancy (2020)",
            "guideline",
            "Advice from the American College of Obstetricians and Gynecologists on exercise during and "
            "after pregnancy.",
            "Physical activity and exercise during pregnancy and the postpartum period. ACOG Committee "
            "Opinion 804, 2020.",
        ),
    )
}

ALL_SOURCES: dict[str, Source] = {**SEEDS, **GUIDELINES}

# A seed's file name, as the catalogue and older stored text write it ("002_17edfd41803de707.txt").
SEED_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?")


def is_seed(source_id: str) -> bool:
    return source_id in SEEDS


def is_guideline(source_id: str) -> bool:
    return source_id in GUIDELINES


def title_of(source_id: str) -> str:
    """The name a person reads for a source id."""
    return ALL_SOURCES[source_id].title


def with_titles(text: str) -> str:
    """Text stored by an older version, which named seeds by file name, with their titles instead:
    "(002_17edfd41803de707.txt)" reads "(A daily lower back routine)"."""

    def title(found: re.Match[str]) -> str:
        name = found.group(0) if found.group(0).endswith(".txt") else found.group(0) + ".txt"
        return SEEDS[name].title if name in SEEDS else found.group(0)

    return SEED_FILE_NAME.sub(title, text)


SOURCES_DOC_START = "<!-- sources:start (written from backcoach.core.sources by `python3 dev.py docs`) -->"
SOURCES_DOC_END = "<!-- sources:end -->"


def sources_table() -> str:
    """Every source as the Markdown table that `docs/clinical-rules.md` holds between its markers:
    the id the data files use, the name a person reads, what it is and its full reference."""
    lines = ["| Id in the data | Name people read | What it is | Full reference |", "|---|---|---|---|"]
    for s in ALL_SOURCES.values():
        lines.append(f"| `{s.id}` | {s.title} | {s.about} | {s.citation or 'a web article (the seed file)'} |")
    return "\n".join([SOURCES_DOC_START, *lines, SOURCES_DOC_END])

"""Build pipeline/data/authorities.csv from the shared Ofsted register.

    python scripts/build_register.py ../shared/reference/ofsted_csc_ilacs_overview.xlsx

Keeps only the public identifiers planx needs (name, DfE and ONS codes, region,
statistical neighbours, latest overall grade and the dates of that inspection) and adds the display name and
the other names councils call themselves in their documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "authorities.csv"
LOWER_WORDS = {"and", "of", "upon", "on", "with", "the", "in"}
# Names the register spells differently from how councils write them (register name -> display, aliases).
RENAMES: dict[str, tuple[str, list[str]]] = {
    "london corporation": ("City of London", ["London Corporation", "City of London Corporation"]),
    "kingston upon hull": ("Kingston upon Hull", ["Hull City Council", "City of Hull"]),
    "durham": ("Durham", ["County Durham"]),
    "bristol": ("Bristol", ["City of Bristol"]),
    "herefordshire": ("Herefordshire", ["County of Herefordshire"]),
    "east riding of yorkshire": ("East Riding of Yorkshire", ["East Riding"]),
    "bournemouth, christchurch & poole": ("Bournemouth, Christchurch and Poole", ["BCP Council"]),
}


def display_name(name: str) -> str:
    words = []
    for i, word in enumerate(name.split(" ")):
        parts = [
            p if (p in LOWER_WORDS and (i or j)) else p[:1].upper() + p[1:]
            for j, p in enumerate(word.split("-"))
        ]
        words.append("-".join(parts))
    return " ".join(words)


def aliases_of(name: str, display: str) -> list[str]:
    out = {display}
    if "&" in display:
        out.add(display.replace("&", "and"))
    if " and " in display:
        out.add(display.replace(" and ", " & "))
    return sorted(out - {display})


def iso_date(value: object) -> str:
    """The register's day-first dates ('15/09/2023', '27/10/23') as ISO dates; '' when blank."""
    text = str(value).strip()
    if not text or text == "nan":
        return ""
    parsed = pd.to_datetime(text, dayfirst=True, errors="coerce")
    return "" if pd.isna(parsed) else parsed.date().isoformat()


def build(xlsx: Path) -> pd.DataFrame:
    ref = pd.read_excel(xlsx, dtype=str)
    rows = []
    for rec in ref.to_dict("records"):
        raw = str(rec["local_authority"]).strip()
        display, extra = RENAMES.get(raw, (display_name(raw), []))
        aliases = sorted(set(aliases_of(raw, display) + extra))
        rows.append(
            {
                "name": display,
                "aliases": "|".join(aliases),
                "la_code": str(rec["la_code"]).strip(),
                "ons_code": str(rec["ltla23cd"]).strip() if str(rec["ltla23cd"]) != "nan" else "",
                "region": str(rec["region_code"]).strip()
                if str(rec["region_code"]) != "nan"
                else "",
                "stat_neighbours": str(rec["stat_neighbours"]).replace(" ", "")
                if str(rec["stat_neighbours"]) != "nan"
                else "",
                "overall_effectiveness_grade": str(rec["overall_effectiveness_grade"]).strip()
                if str(rec["overall_effectiveness_grade"]) != "nan"
                else "",
                "inspection_end_date": iso_date(rec["inspection_end_date"]),
                "publication_date": iso_date(rec["publication_date"]),
            }
        )
    return pd.DataFrame(rows).sort_values("la_code").reset_index(drop=True)


if __name__ == "__main__":
    src = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "shared/reference/ofsted_csc_ilacs_overview.xlsx"
    )
    frame = build(src)
    frame.to_csv(OUT, index=False)
    print(f"wrote {len(frame)} authorities to {OUT}")

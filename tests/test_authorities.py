"""The authority register and finding the council a document is about."""

from __future__ import annotations

import sys

import pandas as pd

from planx.pipeline.authorities import find_authority, load_register
from tests.conftest import REPO


def test_register_has_every_childrens_services_authority():
    register = load_register()
    assert len(register.authorities) == 153
    bristol = register.names["Bristol"]
    assert (bristol.la_code, bristol.ons_code, bristol.region) == ("801", "E06000023", "SW")
    assert register.names["London Corporation"].name == "City of London"
    assert register.names["Telford and Wrekin"] is register.names["Telford & Wrekin"]


def test_shipped_register_is_what_the_build_script_makes(shared_dir):
    sys.path.insert(0, str(REPO / "scripts"))
    import build_register

    built = build_register.build(shared_dir / "reference" / "ofsted_csc_ilacs_overview.xlsx")
    shipped = pd.read_csv(REPO / "pipeline" / "data" / "authorities.csv", dtype=str).fillna("")
    assert built.fillna("").astype(str).to_dict("records") == shipped.to_dict("records")


def name(*texts):
    found = find_authority(list(texts))
    return found.name if found else ""


def test_the_most_named_council_wins_and_front_matter_counts_more():
    assert (
        name(
            "Bristol Children's Services Improvement Plan",
            "We visited Surrey and Surrey again.",
            "Bristol",
        )
        == "Bristol"
    )


def test_fictional_councils_are_named_from_how_councils_name_themselves():
    assert (
        name("Harrowden Council", "Improvement Plan 2018/19", "Harrowden Council will ...")
        == "Harrowden"
    )
    assert name("Eastmarsh Borough Council", "Eastmarsh Borough Council") == "Eastmarsh"


def test_council_domain_names_the_council():
    assert name("Report author: A Person", "a.person@cityoflondon.gov.uk") == "City of London"


def test_other_places_with_a_councils_name_are_not_councils():
    assert name("Background checks", "New Hampshire 123", "New Hampshire 456") == ""
    assert name("2600 Westminster Blvd., Seal Beach", "Westminster Blvd.") == ""
    assert name("Kim Lighting, City of Industry", "Foods, City of Industry") == ""
    assert name(*["Plan text."] * 30, "A single passing mention of Kent deep in the text.") == ""

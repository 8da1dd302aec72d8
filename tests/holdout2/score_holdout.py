"""Score planx on the second holdout set: per-field P/R/F1, plan metadata, every mismatch.

.venv/bin/python tests/holdout2/score_holdout.py              # table + metadata
.venv/bin/python tests/holdout2/score_holdout.py --details    # also every mismatch

The first holdout's scorer (tests/holdout/score_holdout.py), pointed at this set.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HOLDOUT2_DIR = Path(__file__).resolve().parent
FIRST_SCORER = HOLDOUT2_DIR.parent / "holdout" / "score_holdout.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("holdout1_score_holdout", FIRST_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Its functions read these module globals when called.
    module.EXPECTED_DIR = HOLDOUT2_DIR / "expected"
    module.PLANS_DIR = HOLDOUT2_DIR / "plans"
    return module


scorer = _scorer()

if __name__ == "__main__":
    scorer.main()

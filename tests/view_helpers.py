"""Run the comparison views over a few given tables (the rest empty), as compare would."""

from __future__ import annotations

import pandas as pd

from planx.pipeline.compare import NEEDED, OPTIONAL, tables_to_python_tables
from planx.pipeline.compare_views import views_over
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.frame_types import typed_frame


def views_with(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every compare_* view's rows over `tables` (name -> frame, with any of its table's
    columns), every other table empty."""
    frames = records_to_frames([], [])
    empty = {name: frames[name] for name in (*NEEDED, *OPTIONAL)}
    empty |= tables_to_python_tables(empty)
    given = {name: typed_frame(frame, list(empty[name].columns)) for name, frame in tables.items()}
    return views_over(empty | given)

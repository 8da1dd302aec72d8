"""The NLP stage of planx: normalise leads, dates, statuses and KPI values with spaCy.

    nlp = build_nlp(NlpSettings(as_of=date(2018, 1, 1)))   # once per run
    tagged = tag_plans(plans, nlp)                          # new Plan objects

`parse_date` and `parse_period` are pure helpers the interpreter may call too.
"""

from planx.pipeline.nlp.dates import DateContext, parse_date, parse_period
from planx.pipeline.nlp.stage import NlpSettings, build_nlp, tag_plans

__all__ = ["DateContext", "NlpSettings", "build_nlp", "parse_date", "parse_period", "tag_plans"]

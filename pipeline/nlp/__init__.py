"""The NLP stage of planx: normalise leads, dates, statuses and KPI values with spaCy.

    from planx.pipeline.nlp.stage import NlpSettings, build_nlp, tag_plans

    nlp = build_nlp(NlpSettings(as_of=date(2018, 1, 1)))   # once per run
    tagged = tag_plans(plans, nlp)                          # new Plan objects

`parse_date` and `parse_period` are pure helpers the interpreter may call too. The stage
is not imported here: importing a helper (the interpreter does) must not load spaCy, which
a cached re-run and `planx --help` never need.
"""

from planx.pipeline.nlp.dates import DateContext, parse_date, parse_period

__all__ = ["DateContext", "parse_date", "parse_period"]

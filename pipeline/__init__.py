"""planx pipeline: interpret layout into records, tag them with spaCy, build tables, write sinks."""

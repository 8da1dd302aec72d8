"""planx: improvement plans (PDF, Word, text, XLSX, HTML) read into one action/KPI schema.

The repository's folders are installed under this one name: `planx.extractors` (files to
the layout model), `planx.pipeline` (layout to records, NLP, tables, sinks, the CLI) and
`planx.schemas` (the typed records and the JSON Schema)."""

__version__ = "0.1.0"

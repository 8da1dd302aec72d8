"""Imported by a batch's fork server, last (executors.WORKER_CORE): builds the NLP pipeline
of the default settings once, before any worker is forked, so every worker starts with it
built instead of each building its own (~0.2-0.3 s at the start of every batch, while no
file is read). A run with other NLP settings (`--as-of`) has each worker build its own, as
before (process.warm_up is cached by settings)."""

import gc

from planx.pipeline.process import warm_up

try:
    warm_up()
except Exception:  # the fork server must start: each worker then builds its own and
    pass  # its first file reports why it cannot
# What the server holds, frozen out of every collection before workers are forked: a
# worker's collections then neither walk it nor write to its pages (see gc.freeze).
gc.collect()
gc.freeze()

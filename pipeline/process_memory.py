"""A process's peak resident memory: what the benchmarks and the run's statistics report for
the run's process, its workers and its sink process. Kept apart so each can read it without
importing the others' modules."""

from __future__ import annotations

__all__ = ["peak_rss_kb"]


def peak_rss_kb() -> int:
    """This process's peak resident memory, in KB.

    VmHWM where Linux has it: ru_maxrss of a spawned worker can carry the
    parent's size at the moment of the fork that preceded the exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KB on Linux
    except ImportError:
        return 0

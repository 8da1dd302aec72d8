"""Cross-authority comparison of extracted plans (filled in by the compare work)."""

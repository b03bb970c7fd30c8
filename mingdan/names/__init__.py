"""Chinese-aware name handling: scripts, romanizations and (later) comparison."""

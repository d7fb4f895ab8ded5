"""The instances' state history: a timeline driven by the engine's events, kept in SQLite, and their
CPU and memory series. Pure Python (no Qt): the window's charts read it."""

"""The weekly rhythm: a lägesbild as of a date, kept in a run store, and what changed since the last one."""

"""Plans built from the analysis: patrol visits, speed-enforcement checks and new street lamps."""

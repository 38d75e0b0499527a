"""FL0xx and FL9xx: what the tool itself reports (unreadable, too large, internal errors, time
budget, unused suppressions)."""

"""KA Radar analytics: store, ingest and every metric, free of any UI import."""

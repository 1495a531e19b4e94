"""Bundled data for KA Radar: the deterministic demo company (:mod:`data.demo`) and the local database."""

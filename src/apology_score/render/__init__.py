"""Human-facing renderings of reports: self-contained, offline HTML pages."""

"""Integrations with other libraries: the spaCy pipeline component, Dask."""

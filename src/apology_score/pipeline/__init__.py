"""The scoring pipeline, one module per stage, in the order data flows through them:

normalize -> tokenize -> match -> detect -> score -> report

:mod:`apology_score.pipeline.core` strings them together (``Pipeline``).
"""

"""Lexicons: rules as data. ``schema`` validates one file, ``loader`` finds, reads and compiles them."""

from apology_score.lexicon.loader import Ruleset, load_ruleset
from apology_score.lexicon.schema import CUE_DIMENSION, Rule, RuleFile

__all__ = ["CUE_DIMENSION", "Rule", "RuleFile", "Ruleset", "load_ruleset"]

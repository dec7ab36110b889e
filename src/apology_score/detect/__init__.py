"""Stage 4: detect. One detector per principle plus evasion, registered in the order they run.

Each detector reads the matches of its cue kinds from the :class:`~apology_score.pipeline.doc.Doc`, applies
the scope rules of the rubric's pitfalls (negation, conditionals, 但是/but, quoted speech, ambiguous cues)
and adds candidate findings with their points. Counting once (repetition) and clipping happen in the score
stage, not here. Evasion runs first, timeliness before remedy, and specificity last, because later
detectors read the results of earlier ones.
"""

from apology_score.detect import evasion, remedy, sincerity, specificity, timeliness
from apology_score.registry import detectors

detectors.register("evasion", evasion.detect)
detectors.register("timeliness", timeliness.detect)
detectors.register("remedy", remedy.detect)
detectors.register("sincerity", sincerity.detect)
detectors.register("specificity", specificity.detect)

__all__ = ["evasion", "remedy", "sincerity", "specificity", "timeliness"]

"""Clinical screening: interactions, duplication, older adults, kidney, allergy, PGx, loads.

``screen(PatientContext) -> ScreeningResult``; pure functions over plain data and the curated
rule files in ``resources/knowledge/screening/`` (each rule cites its source and review date).
"""

from mmsdesk.clinical.screening.engine import screen
from mmsdesk.clinical.screening.knowledge import KnowledgeError, get_knowledge
from mmsdesk.clinical.screening.model import (
                                              Alert,
                                              MedicationInput,
                                              PatientContext,
                                              ScreeningResult,
                                              cockcroft_gault,
)

__all__ = ["Alert", "KnowledgeError", "MedicationInput", "PatientContext", "ScreeningResult",
           "cockcroft_gault", "get_knowledge", "screen"]

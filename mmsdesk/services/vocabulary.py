"""Plain words a patient document prints in the patient's language, from
``resources/vocabulary/<lang>.json``: what a medicine is for, an allergy's reaction, the reason
of an "as needed" sig. Text not found is printed as written and reported as untranslated (the
document preview lists it for the pharmacist).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from mmsdesk import paths


def _key(text: str) -> str:
    return " ".join((text or "").lower().split())


@dataclass(frozen=True)
class Vocabulary:
    lang: str
    indications: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    reactions: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def indication(self, text: str) -> str | None:
        """'to prevent stroke (atrial fibrillation)' -> 'para prevenir … (fibrilación auricular)'."""
        key = _key(text)
        if not key:
            return ""
        if key in self.indications:
            return self.indications[key]
        m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", key)
        if m and m.group(2) in self.qualifiers:
            main = self.indication(m.group(1))
            return f"{main} ({self.qualifiers[m.group(2)]})" if main else None
        return self._joined(key)

    def _joined(self, key: str) -> str | None:
        """'for gout and the heart' from 'for gout' and 'for the heart': 'para la gota y el
        corazón' (each part must be in the vocabulary)."""
        lead = key.split(" ", 1)[0]
        if lead not in ("for", "to") or " and " not in key:
            return None
        parts = [p.strip() for p in key.split(" and ")]
        said = []
        for i, part in enumerate(parts):
            whole = part if i == 0 or part.startswith(("for ", "to ")) else f"{lead} {part}"
            if whole not in self.indications:
                return None
            text = self.indications[whole]
            said.append(text if i == 0 or part.startswith(("for ", "to "))
                        else text.removeprefix("para "))
        return ", ".join(said[:-1]) + " y " + said[-1]

    def reaction(self, text: str) -> str | None:
        key = _key(text)
        return self.reactions.get(key) if key else ""


@lru_cache(maxsize=4)
def vocabulary(lang: str) -> Vocabulary:
    path = paths.resources_dir() / "vocabulary" / f"{lang}.json"
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return Vocabulary(lang)
    return Vocabulary(lang, *({_key(k): v for k, v in raw.get(part, {}).items()}
                              for part in ("indications", "qualifiers", "reactions", "reasons")))

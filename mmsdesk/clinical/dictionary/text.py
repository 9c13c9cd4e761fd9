"""Reading medication text: normal form of names, dose forms and routes (strengths: strength.py).

The same ``name_key`` is used to index every name and to read every text, so "Klor-Con",
"KLOR CON" and "klor-con" meet, tall-man lettering ("hydrOXYzine") disappears with the case,
and "40mg" reads as "40 mg".
"""

from __future__ import annotations

import re

_APOSTROPHES = re.compile(r"['\u2019`\u00b4]")
# A thousands comma: "5,000"; never after a lone 0 ("0,500" is a decimal comma, see strength.py)
_THOUSANDS = re.compile(r"(?<=\d)(?<!\b0),(?=\d{3}(?!\d))")
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_SEPARATED = re.compile(r"[a-z]+|\d+(?:\.\d+)?|[/+&,;]|-")

# Salt and ester words: skipped after an ingredient ("metoprolol succinate" is metoprolol).
SALT_WORDS = frozenset("""
hydrochloride hcl dihydrochloride hydrobromide hbr sodium potassium calcium magnesium
succinate tartrate bitartrate besylate besilate maleate mesylate dimesylate citrate sulfate
bisulfate fumarate hemifumarate acetate phosphate medoxomil kamedoxomil cilexetil propionate
furoate xinafoate bromide chloride monohydrate trihydrate hemihydrate anhydrous hyclate oxalate
etexilate valerate dipropionate decanoate palmitate pamoate lactate gluconate carbonate tosylate
erbumine arginine axetil proxetil mofetil disoproxil alafenamide nitrate benzoate enacarbil
trifenatate lauroxil myristate polistirex polacrilex acetonide hexacetonide ethylsuccinate
stearate lactobionate macrocrystals monocrystals tromethamine epolamine cypionate enanthate
undecanoate butyrate saccharate aspartate dipotassium strontium edisylate mononitrate
hydrate disodium sesquihydrate lysine zinc benzathine procaine succ tart cl
""".split())

# Words that carry no ingredient: units, forms, release, routes, packaging, directions.
NOISE_WORDS = frozenset("""
mg mcg ug g gm kg meq mmol unt unit units iu ml l act actuat actuation actuations hr hrs hour hours
h day days week pack kit dose doses
oral tablet tablets tab tabs caplet caplets capsule capsules cap caps softgel softgels gelcap
gelcaps chewable chew disintegrating orally odt sublingual buccal film films lozenge lozenges
troche gum solution suspension syrup elixir liquid drops drop powder granules packet sachet
injection injectable inj prefilled syringe pen injector auto autoinjector vial cartridge
infusion system intrauterine transdermal patch patches topical cream ointment gel lotion foam
shampoo spray nasal mucosal inhaler inhalation inhaled aerosol metered dry nebulizer
nebuliser respules ophthalmic eye ear otic vaginal rectal suppository enema ring implant
extended delayed release controlled sustained modified immediate coated enteric film
er xr sr dr cr la xl ec ir cd xt hfa dpi mdi
abuse deterrent nda anda bla generic brand component components combination combo plus
take takes taking daily once twice three four times a an the of by mouth po bid tid qid qd
qhs qam qpm prn as needed for and with or at in on per every night morning evening bedtime
use used apply instill inhale puff puffs sig each other
otc rx strength extra maximum max regular original adult adults children childrens junior
allergy relief pain nondrowsy drowsy non aid formula severe fast acting rapid liquigels liquigel gummies gummy chewables men women
mens womens senior seniors kids weekly monthly hs ac pc ud
""".split())

_FORMS: tuple[tuple[str, str, str], ...] = (
    # (normal words, canonical form, route); longest phrases first when compiled
    ("extended release oral tablet", "extended release oral tablet", "oral"),
    ("extended release oral capsule", "extended release oral capsule", "oral"),
    ("delayed release oral tablet", "delayed release oral tablet", "oral"),
    ("delayed release oral capsule", "delayed release oral capsule", "oral"),
    ("extended release tablet", "extended release tablet", "oral"),
    ("extended release capsule", "extended release capsule", "oral"),
    ("delayed release tablet", "delayed release tablet", "oral"),
    ("delayed release capsule", "delayed release capsule", "oral"),
    ("er tablet", "extended release tablet", "oral"),
    ("er tab", "extended release tablet", "oral"),
    ("xr tablet", "extended release tablet", "oral"),
    ("er capsule", "extended release capsule", "oral"),
    ("dr capsule", "delayed release capsule", "oral"),
    ("ec tablet", "delayed release tablet", "oral"),
    ("chewable tablet", "chewable tablet", "oral"),
    ("orally disintegrating tablet", "orally disintegrating tablet", "oral"),
    ("disintegrating oral tablet", "orally disintegrating tablet", "oral"),
    ("sublingual tablet", "sublingual tablet", "sublingual"),
    ("sublingual film", "sublingual film", "sublingual"),
    ("oral tablet", "oral tablet", "oral"),
    ("oral capsule", "oral capsule", "oral"),
    ("oral solution", "oral solution", "oral"),
    ("oral suspension", "oral suspension", "oral"),
    ("oral powder", "oral powder", "oral"),
    ("oral film", "oral film", "oral"),
    ("injectable solution", "injectable solution", "injection"),
    ("injectable suspension", "injectable suspension", "injection"),
    ("prefilled syringe", "prefilled syringe", "injection"),
    ("auto injector", "auto-injector", "injection"),
    ("pen injector", "pen injector", "injection"),
    ("injection", "injection", "injection"),
    ("transdermal system", "transdermal patch", "transdermal"),
    ("transdermal patch", "transdermal patch", "transdermal"),
    ("patch", "transdermal patch", "transdermal"),
    ("dry powder inhaler", "dry powder inhaler", "inhalation"),
    ("metered dose inhaler", "metered dose inhaler", "inhalation"),
    ("inhalation solution", "inhalation solution", "inhalation"),
    ("inhalation spray", "inhalation spray", "inhalation"),
    ("inhalation powder", "inhalation powder", "inhalation"),
    ("inhaler", "inhaler", "inhalation"),
    ("nasal spray", "nasal spray", "nasal"),
    ("mucosal spray", "mucosal spray", "oromucosal"),
    ("ophthalmic solution", "ophthalmic solution", "ophthalmic"),
    ("ophthalmic suspension", "ophthalmic suspension", "ophthalmic"),
    ("ophthalmic emulsion", "ophthalmic emulsion", "ophthalmic"),
    ("ophthalmic ointment", "ophthalmic ointment", "ophthalmic"),
    ("eye drops", "ophthalmic solution", "ophthalmic"),
    ("otic solution", "otic solution", "otic"),
    ("otic suspension", "otic suspension", "otic"),
    ("ear drops", "otic solution", "otic"),
    ("topical cream", "topical cream", "topical"),
    ("topical gel", "topical gel", "topical"),
    ("topical solution", "topical solution", "topical"),
    ("cream", "cream", "topical"),
    ("ointment", "ointment", "topical"),
    ("lotion", "lotion", "topical"),
    ("shampoo", "shampoo", "topical"),
    ("gel", "gel", "topical"),
    ("vaginal cream", "vaginal cream", "vaginal"),
    ("vaginal ring", "vaginal ring", "vaginal"),
    ("rectal suppository", "rectal suppository", "rectal"),
    ("suppository", "suppository", "rectal"),
    ("enema", "enema", "rectal"),
    ("intrauterine system", "intrauterine system", "intrauterine"),
    ("implant", "implant", "subdermal"),
    ("lozenge", "lozenge", "oral"),
    ("troche", "troche", "oral"),
    ("gum", "chewing gum", "oral"),
    ("softgel", "capsule", "oral"),
    ("caplet", "tablet", "oral"),
    ("caplets", "tablet", "oral"),
    ("tablets", "tablet", "oral"),
    ("capsules", "capsule", "oral"),
    ("softgels", "capsule", "oral"),
    ("patches", "transdermal patch", "transdermal"),
    ("tablet", "tablet", "oral"),
    ("tab", "tablet", "oral"),
    ("tabs", "tablet", "oral"),
    ("capsule", "capsule", "oral"),
    ("cap", "capsule", "oral"),
    ("caps", "capsule", "oral"),
    ("syrup", "oral solution", "oral"),
    ("elixir", "oral solution", "oral"),
    ("liquid", "oral solution", "oral"),
    ("suspension", "suspension", ""),
    ("solution", "solution", ""),
    ("powder", "powder", ""),
    ("spray", "spray", ""),
    ("day pack", "pack", "oral"),
)
_FORM_BY_WORDS = {words: (form, route) for words, form, route in _FORMS}
_FORM_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_FORM_BY_WORDS, key=len, reverse=True)) + r")\b")
_ROUTE_WORDS = {"oral": "oral", "topical": "topical", "ophthalmic": "ophthalmic", "nasal": "nasal",
                "transdermal": "transdermal", "inhalation": "inhalation", "rectal": "rectal",
                "vaginal": "vaginal", "sublingual": "sublingual", "injectable": "injection",
                "subcutaneous": "injection", "intramuscular": "injection", "otic": "otic"}

_NUM = r"\d+(?:\.\d+)?"
# Synthea / RxNorm quantity prefixes: "24 HR", "60 ACTUAT", "0.25 ML", "NDA020503", "Abuse-Deterrent".
_PREFIX_RE = re.compile(
    rf"^\s*(?:(?:{_NUM}\s*(?:hr|actuat|ml|day)\b|nda\s*\d+|anda\s*\d+|bla\s*\d+|abuse-deterrent)\s*)+")
_BRACKET_RE = re.compile(r"\[([^\]]*)\]|\{([^}]*)\}")
_CODE_RE = re.compile(r"^\s*(?:rxcui|rxnorm|rx)?\s*[:#]?\s*(\d{2,8})\s*$", re.I)
_NDC_RE = re.compile(r"^\s*(?:ndc\s*[:#]?\s*)?(\d{4,5}-\d{3,4}(?:-\d{1,2})?)\s*$", re.I)


def fold(text: str) -> str:
    """Lowercase, apostrophes dropped, letters split from digits ("40mg" -> "40 mg")."""
    s = _THOUSANDS.sub("", _APOSTROPHES.sub("", text.lower()))
    return re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", s)


def name_key(text: str) -> str:
    """The index key of a name: folded words and numbers joined by single spaces."""
    return " ".join(_TOKEN.findall(fold(text)))


def tokens_with_breaks(text: str) -> tuple[list[str], list[bool]]:
    """Words and numbers, and for each one whether a separator ("/", "-", "+", ",") precedes it."""
    words: list[str] = []
    breaks: list[bool] = []
    pending = False
    for tok in _SEPARATED.findall(fold(text)):
        if tok in "/+&,;-":
            pending = True
            continue
        words.append(tok)
        breaks.append(pending)
        pending = False
    return words, breaks


def strip_prefixes(text: str) -> str:
    return _PREFIX_RE.sub("", text.lower(), count=1) if text else text


def split_brackets(text: str) -> tuple[str, list[str]]:
    """"Warfarin 5 MG Oral Tablet [Coumadin]" -> ("Warfarin 5 MG Oral Tablet", ["Coumadin"])."""
    inside = [a or b for a, b in _BRACKET_RE.findall(text)]
    return _BRACKET_RE.sub(" ", text), [s.strip() for s in inside if s.strip()]


def parse_form(folded_words: str) -> tuple[str, str]:
    """(dose form, route) from folded, space-joined words; ("", "") when none is named."""
    m = _FORM_RE.search(folded_words)
    form, route = _FORM_BY_WORDS[m.group(1)] if m else ("", "")
    if not route:
        for word in folded_words.split():
            if word in _ROUTE_WORDS:
                return form, _ROUTE_WORDS[word]
    return form, route


def code_in(text: str) -> str:
    """An RxNorm code typed alone ("316672", "RXCUI: 316672"), else ""."""
    m = _CODE_RE.match(text)
    return m.group(1) if m else ""


def ndc_in(text: str) -> str:
    m = _NDC_RE.match(text)
    return m.group(1) if m else ""


def is_noise(word: str) -> bool:
    return word in NOISE_WORDS or word[0].isdigit()

"""Written strengths and the components they must give: every ingredient with its amount as written.

Each case: (text, expected components in the order the product is sold, note). ``note`` is ""
when no strength note may be given, else words the notes must contain. Where the case states a
clinical fact (the strengths a product comes in, the order of its ingredients) the comment names
the source: the FDA label (DailyMed / Drug Facts) or the RxNorm name.
"""

from __future__ import annotations

from mmsdesk.clinical.dictionary.model import Component


def C(ingredient: str, amount: float | None = None, unit: str = "", per_amount: float | None = None,
      per_unit: str = "") -> Component:
    return Component(ingredient, amount, unit, per_amount, per_unit)


def mg(ingredient: str, amount: float) -> Component:
    return Component(ingredient, amount, "mg")


def puff(ingredient: str, amount: float, unit: str = "mcg") -> Component:
    return Component(ingredient, amount, unit, None, "actuat")


NOT_READ = "strength not read"
OTHER_ORDER = "written in another order"
NOT_KNOWN = "is not a known strength"

CASES: list[tuple[str, tuple[Component, ...], str]] = [
    # -- combinations under a brand, in the brand's order ----------------------------------------
    # Sinemet label: carbidopa-levodopa tablets 10-100, 25-100, 25-250 mg (carbidopa first)
    ("Sinemet 10/100", (mg("carbidopa", 10), mg("levodopa", 100)), ""),
    ("Sinemet 25/100", (mg("carbidopa", 25), mg("levodopa", 100)), ""),
    ("Sinemet 25-250 mg", (mg("carbidopa", 25), mg("levodopa", 250)), ""),
    ("Sinemet", (C("carbidopa"), C("levodopa")), ""),  # three strengths: the name says none
    # RxNorm SBD name: "Carbidopa 25 MG / Levodopa 100 MG Oral Tablet [Sinemet]"
    ("Carbidopa 25 MG / Levodopa 100 MG Oral Tablet [Sinemet]",
     (mg("carbidopa", 25), mg("levodopa", 100)), ""),
    # Entresto label: sacubitril/valsartan 24/26, 49/51, 97/103 mg
    ("Entresto 24-26", (mg("sacubitril", 24), mg("valsartan", 26)), ""),
    ("Entresto 49-51 mg", (mg("sacubitril", 49), mg("valsartan", 51)), ""),
    ("Entresto 97/103", (mg("sacubitril", 97), mg("valsartan", 103)), ""),
    ("Sacubitril 49 MG / Valsartan 51 MG Oral Tablet [Entresto]",
     (mg("sacubitril", 49), mg("valsartan", 51)), ""),
    # Norco label: hydrocodone bitartrate and acetaminophen 5/325, 7.5/325, 10/325 mg
    ("Norco 5-325", (mg("hydrocodone", 5), mg("acetaminophen", 325)), ""),
    ("Norco 325-5", (mg("hydrocodone", 5), mg("acetaminophen", 325)), OTHER_ORDER),
    ("Norco 10/325 #60", (mg("hydrocodone", 10), mg("acetaminophen", 325)), ""),
    ("Norco", (C("hydrocodone"), C("acetaminophen")), ""),
    # Norco 5/300 is not a Norco strength (Vicodin's, per its label): read as written, flagged
    ("Norco 5/300 mg", (mg("hydrocodone", 5), mg("acetaminophen", 300)), NOT_KNOWN),
    # Vicodin label: hydrocodone bitartrate and acetaminophen 5/300 mg; RxNorm lists APAP first
    ("Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG [Vicodin]",
     (mg("hydrocodone", 5), mg("acetaminophen", 300)), ""),
    ("Hydrocodone Bitartrate 5 MG / Acetaminophen 325 MG Oral Tablet [Norco]",
     (mg("hydrocodone", 5), mg("acetaminophen", 325)), ""),
    # Percocet label: oxycodone and acetaminophen 2.5/325, 5/325, 7.5/325, 10/325 mg
    ("Percocet 5/325", (mg("oxycodone", 5), mg("acetaminophen", 325)), ""),
    ("Percocet 325/7.5", (mg("oxycodone", 7.5), mg("acetaminophen", 325)), OTHER_ORDER),
    # Tylenol with Codeine label: acetaminophen 300 mg with codeine 30 mg (No. 3) or 60 mg (No. 4)
    ("Tylenol #3", (mg("acetaminophen", 300), mg("codeine", 30)), ""),
    ("Tylenol with Codeine #4", (mg("acetaminophen", 300), mg("codeine", 60)), ""),
    # Bactrim label: DS tablets sulfamethoxazole 800 mg / trimethoprim 160 mg; plain 400/80
    ("Bactrim DS", (mg("sulfamethoxazole", 800), mg("trimethoprim", 160)), ""),
    ("Bactrim DS 2 tabs bid", (mg("sulfamethoxazole", 800), mg("trimethoprim", 160)), ""),
    ("bactrim ds 800-160 mg tab", (mg("sulfamethoxazole", 800), mg("trimethoprim", 160)), ""),
    ("Bactrim 400/80", (mg("sulfamethoxazole", 400), mg("trimethoprim", 80)), ""),
    # "TMP-SMX" names trimethoprim first: its numbers follow that order
    ("TMP-SMX DS", (mg("trimethoprim", 160), mg("sulfamethoxazole", 800)), ""),
    ("TMP-SMX 160-800 mg", (mg("trimethoprim", 160), mg("sulfamethoxazole", 800)), ""),
    # RxNorm SBD: "Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet [Bactrim DS]"
    ("Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet [Bactrim DS]",
     (mg("sulfamethoxazole", 800), mg("trimethoprim", 160)), ""),
    # Augmentin label: amoxicillin/clavulanate potassium tablets 250/125, 500/125, 875/125 mg
    ("Augmentin 875/125", (mg("amoxicillin", 875), mg("clavulanate", 125)), ""),
    ("Augmentin 875 mg", (C("amoxicillin"), C("clavulanate")), NOT_READ),  # one number, two drugs
    # Suboxone label: buprenorphine/naloxone film 2/0.5, 4/1, 8/2, 12/3 mg
    ("Suboxone 8/2", (mg("buprenorphine", 8), mg("naloxone", 2)), ""),
    ("Suboxone 8mg-2mg film", (mg("buprenorphine", 8), mg("naloxone", 2)), ""),
    # Janumet label: sitagliptin/metformin 50/500, 50/1000 mg
    ("Janumet 50/1000", (mg("sitagliptin", 50), mg("metformin", 1000)), ""),
    ("Janumet 1000/50", (mg("sitagliptin", 50), mg("metformin", 1000)), OTHER_ORDER),
    # Hyzaar label: losartan potassium/hydrochlorothiazide 50/12.5, 100/12.5, 100/25 mg
    ("Hyzaar 50/12.5", (mg("losartan", 50), mg("hydrochlorothiazide", 12.5)), ""),
    # Caduet label: amlodipine/atorvastatin 2.5/10 ... 10/80 mg (amlodipine first)
    ("Caduet 5/10", (mg("amlodipine", 5), mg("atorvastatin", 10)), ""),
    ("Caduet 10/5", (mg("amlodipine", 5), mg("atorvastatin", 10)), OTHER_ORDER),
    # Vytorin label: ezetimibe/simvastatin 10/10, 10/20, 10/40, 10/80 mg
    ("Vytorin 10/20", (mg("ezetimibe", 10), mg("simvastatin", 20)), ""),
    ("Vytorin 10/40", (mg("ezetimibe", 10), mg("simvastatin", 40)), ""),
    # Lotrel label: amlodipine/benazepril capsules 2.5/10 ... 10/40 mg
    ("Lotrel 10-40", (mg("amlodipine", 10), mg("benazepril", 40)), ""),
    # Maxzide label: Maxzide-25 MG is triamterene 37.5 mg / hydrochlorothiazide 25 mg
    ("Maxzide-25", (mg("triamterene", 37.5), mg("hydrochlorothiazide", 25)), ""),
    ("Dyazide 37.5-25 mg", (mg("triamterene", 37.5), mg("hydrochlorothiazide", 25)), ""),
    # Cafergot label: ergotamine tartrate 1 mg / caffeine 100 mg tablets
    ("Cafergot 1/100", (mg("ergotamine", 1), mg("caffeine", 100)), ""),
    # Zestoretic label: lisinopril/HCTZ 10/12.5, 20/12.5, 20/25 mg
    ("Zestoretic 20/25", (mg("lisinopril", 20), mg("hydrochlorothiazide", 25)), ""),
    # Ultracet label: tramadol hydrochloride 37.5 mg / acetaminophen 325 mg
    ("Ultracet 37.5/325", (mg("tramadol", 37.5), mg("acetaminophen", 325)), ""),
    # Excedrin Extra Strength Drug Facts: acetaminophen 250 / aspirin 250 / caffeine 65 mg
    ("Excedrin Extra Strength", (mg("acetaminophen", 250), mg("aspirin", 250), mg("caffeine", 65)), ""),
    ("Advil PM", (C("ibuprofen"), C("diphenhydramine")), ""),  # caplets 200/38, liqui-gels 200/25
    # -- inhalers: mcg per actuation (labels: Symbicort 80/4.5, 160/4.5; Advair Diskus 100/50,
    # 250/50, 500/50; Advair HFA 45/21, 115/21, 230/21; Trelegy 100/62.5/25, 200/62.5/25;
    # Dulera 50/5, 100/5, 200/5; Combivent Respimat 20/100; Breo Ellipta 50/25, 100/25, 200/25)
    ("Symbicort 80/4.5", (puff("budesonide", 80), puff("formoterol", 4.5)), ""),
    ("Symbicort 160/4.5 2 puffs bid", (puff("budesonide", 160), puff("formoterol", 4.5)), ""),
    ("Symbicort 0.16/0.0045 mg", (puff("budesonide", 0.16, "mg"), puff("formoterol", 0.0045, "mg")), ""),
    ("Advair Diskus 250/50", (puff("fluticasone", 250), puff("salmeterol", 50)), ""),
    ("Advair HFA 115/21", (puff("fluticasone", 115), puff("salmeterol", 21)), ""),
    ("Breo Ellipta 100/25", (puff("fluticasone", 100), puff("vilanterol", 25)), ""),
    ("Trelegy Ellipta 100/62.5/25",
     (puff("fluticasone", 100), puff("umeclidinium", 62.5), puff("vilanterol", 25)), ""),
    ("Dulera 200/5", (puff("mometasone", 200), puff("formoterol", 5)), ""),
    ("Combivent Respimat 20-100 mcg", (puff("ipratropium", 20), puff("albuterol", 100)), ""),
    # RxNorm SCD: "Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT"
    ("60 ACTUAT Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler",
     (puff("fluticasone", 0.25, "mg"), puff("salmeterol", 0.05, "mg")), ""),
    ("ProAir HFA 90 mcg", (puff("albuterol", 90),), ""),  # ProAir HFA label: 90 mcg albuterol/actuation
    # DuoNeb label: ipratropium bromide 0.5 mg / albuterol 2.5 mg in 3 mL
    ("DuoNeb 0.5-2.5 mg/3 ml", (C("ipratropium", 0.5, "mg", 3, "ml"), C("albuterol", 2.5, "mg", 3, "ml")), ""),
    # -- generic combinations: the numbers in the order the ingredients are written ------------
    ("carbidopa-levodopa 25-100 mg", (mg("carbidopa", 25), mg("levodopa", 100)), ""),
    ("sacubitril-valsartan 24-26 mg", (mg("sacubitril", 24), mg("valsartan", 26)), ""),
    ("hydrocodone/acetaminophen 5/325", (mg("hydrocodone", 5), mg("acetaminophen", 325)), ""),
    ("hydrocodone/APAP 10/325", (mg("hydrocodone", 10), mg("acetaminophen", 325)), ""),
    ("acetaminophen-codeine 300-30 mg", (mg("acetaminophen", 300), mg("codeine", 30)), ""),
    ("amoxicillin-clavulanate 875-125 mg", (mg("amoxicillin", 875), mg("clavulanate", 125)), ""),
    ("sulfamethoxazole-trimethoprim 800-160 mg", (mg("sulfamethoxazole", 800), mg("trimethoprim", 160)), ""),
    ("ergotamine-caffeine 1-100 mg", (mg("ergotamine", 1), mg("caffeine", 100)), ""),
    ("amlodipine/benazepril 5/20", (mg("amlodipine", 5), mg("benazepril", 20)), ""),
    ("triamterene-HCTZ 37.5-25", (mg("triamterene", 37.5), mg("hydrochlorothiazide", 25)), ""),
    ("losartan-HCTZ 50-12.5", (mg("losartan", 50), mg("hydrochlorothiazide", 12.5)), ""),
    ("losartan/hctz 100/25", (mg("losartan", 100), mg("hydrochlorothiazide", 25)), ""),
    ("lisinopril-HCTZ 20-12.5 mg", (mg("lisinopril", 20), mg("hydrochlorothiazide", 12.5)), ""),
    # RxNorm SCD names: each amount right after its ingredient, RxNorm's (alphabetical) order
    ("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet",
     (mg("acetaminophen", 325), mg("hydrocodone", 5)), ""),
    ("Calcium carbonate 600 MG / Vitamin D3 400 UNT Oral Tablet",
     (mg("calcium carbonate", 600), C("cholecalciferol", 400, "unit")), ""),
    ("Calcium 600 mg with D3", (mg("calcium", 600), C("cholecalciferol")), ""),
    # -- mg and mcg are one scale; the unit stays as written -------------------------------------
    ("levothyroxine 0.088 mg", (mg("levothyroxine", 0.088),), ""),
    ("levothyroxine 88 mcg", (C("levothyroxine", 88, "mcg"),), ""),
    ("levothyroxine 0.088", (mg("levothyroxine", 0.088),), ""),  # 88 mcg is a labelled strength
    ("Synthroid 88", (C("levothyroxine", 88, "mcg"),), ""),  # Synthroid label: 25-300 mcg tablets
    ("Levothyroxine Sodium 0.05 MG Oral Tablet [Synthroid]", (mg("levothyroxine", 0.05),), ""),
    ("Lanoxin 0.125 mg", (mg("digoxin", 0.125),), ""),
    ("digoxin 125", (C("digoxin", 125, "mcg"),), ""),  # Lanoxin label: 0.125 mg (125 mcg) tablets
    # -- the name says the strength (curated in named_strengths.csv, each row with its label) ----
    ("Tylenol Extra Strength", (mg("acetaminophen", 500),), ""),
    ("Tylenol Extra Strength 500mg", (mg("acetaminophen", 500),), ""),
    ("Tylenol Regular Strength", (mg("acetaminophen", 325),), ""),
    ("Tylenol 8 HR", (mg("acetaminophen", 650),), ""),
    ("Tylenol Arthritis", (mg("acetaminophen", 650),), ""),
    ("Children's Tylenol", (C("acetaminophen", 160, "mg", 5, "ml"),), ""),
    ("baby aspirin", (mg("aspirin", 81),), ""),
    ("low dose aspirin daily", (mg("aspirin", 81),), ""),
    ("Baby aspirin 81mg", (mg("aspirin", 81),), ""),
    ("Zyrtec-D 12 Hour", (mg("cetirizine", 5), mg("pseudoephedrine", 120)), ""),
    ("Tylenol", (C("acetaminophen"),), ""),  # 325, 500, 650 mg: the name alone says none
    ("Tylenol 325", (mg("acetaminophen", 325),), ""),
    ("Zocor 20", (mg("simvastatin", 20),), ""),  # Zocor label: 5, 10, 20, 40, 80 mg
    ("Klonopin 0.5", (mg("clonazepam", 0.5),), ""),
    # -- counts, quantities and timing are not strengths -----------------------------------------
    ("Eliquis 2.5 1 tab", (mg("apixaban", 2.5),), ""),  # Eliquis label: 2.5 and 5 mg tablets
    ("Eliquis 5 1 tab bid", (mg("apixaban", 5),), ""),
    ("Eliquis 5 bid", (mg("apixaban", 5),), ""),
    ("Eliquis 5 mg BID", (mg("apixaban", 5),), ""),
    ("Eliquis", (C("apixaban"),), ""),
    ("metformin 500 mg 2 tabs bid", (mg("metformin", 500),), ""),
    ("metformin 1 bid", (C("metformin"),), ""),  # one tablet twice a day: no strength written
    # a product line with its dose form after a bare strength, as pharmacy labels print it:
    # a known strength is the strength, any other number a count
    ("Sinemet 25/100 TAB", (mg("carbidopa", 25), mg("levodopa", 100)), ""),
    ("LISINOPRIL 10 TAB", (mg("lisinopril", 10),), ""),  # lisinopril label: 2.5 to 40 mg
    ("metformin 500 tab", (mg("metformin", 500),), ""),
    ("lisinopril 2 tabs", (C("lisinopril"),), ""),  # not a lisinopril strength: two tablets
    ("Zocor 20 1 daily", (mg("simvastatin", 20),), ""),
    ("lisinopril 10 mg take 1 tablet daily", (mg("lisinopril", 10),), ""),
    ("Lipitor 40 mg #30", (mg("atorvastatin", 40),), ""),
    ("amoxicillin 500 mg 1 cap tid x 5 days", (mg("amoxicillin", 500),), ""),
    ("ibuprofen 600 mg q8h prn", (mg("ibuprofen", 600),), ""),
    ("oxycodone 5 mg every 6 hours as needed", (mg("oxycodone", 5),), ""),
    ("Tylenol 500 mg 2 caplets every 4-6 hours", (mg("acetaminophen", 500),), ""),
    ("Diltiazem 240 MG 24 HR Extended Release Oral Capsule", (mg("diltiazem", 240),), ""),
    ("Bupropion Hydrochloride 150 MG 12 HR Extended Release Oral Tablet", (mg("bupropion", 150),), ""),
    ("Seasonique 91 Day Pack", (C("levonorgestrel"), C("ethinyl estradiol")), ""),
    # -- liquids, patches, insulins, creams, units -----------------------------------------------
    ("amoxicillin 250 mg/5 mL suspension", (C("amoxicillin", 250, "mg", 5, "ml"),), ""),
    ("Lantus 100 units/mL", (C("insulin glargine", 100, "unit", None, "ml"),), ""),
    ("Lantus 100 units/mL 20 units at bedtime", (C("insulin glargine", 100, "unit", None, "ml"),), ""),
    ("Humulin R U-500", (C("insulin regular", 500, "unit", None, "ml"),), ""),  # Humulin R U-500 label
    ("Humalog Mix 75/25", (C("insulin lispro"),), ""),  # 75/25 is a mix of insulin types
    ("Humulin 70/30", (C("insulin isophane"), C("insulin regular")), ""),
    ("Novolog 70/30", (C("insulin aspart"),), NOT_READ),
    ("nicotine 21 mg/24 hr patch", (C("nicotine", 21, "mg", 24, "hr"),), ""),
    # RxNorm SCD 198031: "Nicotine 0.583 MG/HR 24 HR Transdermal System" (24 HR is the wear time)
    ("Nicotine 0.583 MG/HR 24 HR Transdermal System", (C("nicotine", 0.583, "mg", None, "hr"),), ""),
    ("Nicoderm CQ 14 mg", (C("nicotine", 14, "mg", 24, "hr"),), ""),  # NicoDerm CQ: 7, 14, 21 mg/24 hr
    ("fentanyl 25 mcg/hr patch", (C("fentanyl", 25, "mcg", None, "hr"),), ""),
    ("Vitamin D3 50,000 units", (C("cholecalciferol", 50000, "unit"),), ""),
    ("vitamin D 50,000 units weekly", (C("cholecalciferol", 50000, "unit"),), ""),
    ("potassium chloride 20 mEq", (C("potassium chloride", 20, "meq"),), ""),
    ("KLOR-CON M20", (C("potassium chloride", 20, "meq"),), ""),  # Klor-Con M20: 20 mEq
    ("hydrocortisone 1% cream", (C("hydrocortisone", 1, "%"),), ""),
    ("Xalatan 0.005% eye drops", (C("latanoprost", 0.005, "%"),), ""),
    ("Trulicity 1.5mg/0.5ml", (C("dulaglutide", 1.5, "mg", 0.5, "ml"),), ""),
    ("Polyethylene glycol 3350 17 GM Oral Powder [MiraLAX]", (C("polyethylene glycol 3350", 17, "g"),), ""),
    ("Vitamin B 12 5 MG/ML Injectable Solution", (C("cyanocobalamin", 5, "mg", None, "ml"),), ""),
    ("Omega-3 1200mg", (mg("fish oil", 1200),), ""),
    ("Flovent HFA 110 mcg/act", (puff("fluticasone", 110),), ""),  # Flovent HFA: 44, 110, 220 mcg
    ("Estradiol 0.1 mg/day patch", (C("estradiol", 0.1, "mg", 24, "hr"),), ""),
    ("Humira 40 mg/0.4 mL", (C("adalimumab", 40, "mg", 0.4, "ml"),), ""),
    ("Heparin 5,000 units/mL", (C("heparin", 5000, "unit", None, "ml"),), ""),
    ("insulin glargine 10 units qhs", (C("insulin glargine"),), ""),  # a dose, not a strength
    ("lisinopril 20 mg 2 (two) times daily", (mg("lisinopril", 20),), ""),
    ("Metoprolol tartrate 25 mg 1/2 tab bid", (mg("metoprolol", 25),), ""),
    ("Norco 5/325 1-2 tabs q4-6h prn pain", (mg("hydrocodone", 5), mg("acetaminophen", 325)), ""),
    ("Sinemet CR 50-200", (mg("carbidopa", 50), mg("levodopa", 200)), ""),  # Sinemet CR label
    ("Lisinopril 10mg/HCTZ 12.5mg", (mg("lisinopril", 10), mg("hydrochlorothiazide", 12.5)), ""),
    ("Cephalexin 500mg cap 1 cap po qid x10d", (mg("cephalexin", 500),), ""),
    # -- what cannot be given with confidence stays empty, with a note -------------------------
    ("carbidopa-levodopa 5-10-20", (C("carbidopa"), C("levodopa")), NOT_READ),
    ("Sinemet 25/100/250", (C("carbidopa"), C("levodopa")), NOT_READ),
    ("warfarin 5 mg M W F, 2.5 mg other days", (C("warfarin"),), NOT_READ),
    ("Zocor 25", (C("simvastatin"),), NOT_READ),  # no unit, not a Zocor strength
    # a decimal comma is never guessed: "2,5 mg" was read as 5 mg, "0,5 mg" as 5 mg (10 times)
    ("Eliquis 2,5 mg tablet", (C("apixaban"),), "a decimal is written with a point"),
    ("alprazolam 0,5 mg", (C("alprazolam"),), NOT_READ),
    ("alprazolam 0,500 mg", (C("alprazolam"),), NOT_READ),  # not a thousands comma after 0
    ("hydrochlorothiazide 12,5 mg", (C("hydrochlorothiazide"),), NOT_READ),
    ("metformin 1,000 mg", (mg("metformin", 1000),), ""),  # a thousands comma
    ("lorazepam 0.5-1 mg prn", (C("lorazepam"),), NOT_READ),
    ("Advair 250", (C("fluticasone"), C("salmeterol")), NOT_READ),
    ("prednisone 20 mg x 5 days then 10 mg x 5 days", (C("prednisone"),), NOT_READ),
    ("Caltrate 600+D", (C("calcium carbonate"), C("cholecalciferol")), ""),  # 600 is in the name
]

# Every medication text of the Synthea bundles (shared/data/synthea-r4) and its components.
# The names are RxNorm's (SCD/SBD): the amounts are the ones written in them.
SYNTHEA_COMPONENTS: dict[str, tuple[Component, ...]] = {
    "0.25 ML Leuprolide Acetate 30 MG/ML Prefilled Syringe": (C("leuprolide", 30, "mg", None, "ml"),),
    "1 ML DOCEtaxel 20 MG/ML Injection": (C("docetaxel", 20, "mg", None, "ml"),),
    "10 ML Furosemide 10 MG/ML Injection": (C("furosemide", 10, "mg", None, "ml"),),
    "10 ML oxaliplatin 5 MG/ML Injection": (C("oxaliplatin", 5, "mg", None, "ml"),),
    "24 HR metoprolol succinate 100 MG Extended Release Oral Tablet [Toprol]": (mg("metoprolol", 100),),
    "24hr nicotine transdermal patch": (C("nicotine"),),
    "Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet": (mg("oxycodone", 15),),
    "Acetaminophen 21.7 MG/ML / Dextromethorphan Hydrobromide 1 MG/ML / doxylamine succinate 0.417 MG/ML Oral Solution": (
        C("acetaminophen", 21.7, "mg", None, "ml"), C("dextromethorphan", 1, "mg", None, "ml"),
        C("doxylamine", 0.417, "mg", None, "ml")),
    "Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG [Vicodin]": (
        mg("hydrocodone", 5), mg("acetaminophen", 300)),
    "Acetaminophen 325 MG / HYDROcodone Bitartrate 7.5 MG Oral Tablet": (
        mg("acetaminophen", 325), mg("hydrocodone", 7.5)),
    "Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet": (
        mg("acetaminophen", 325), mg("oxycodone", 5)),
    "Acetaminophen 325 MG Oral Tablet": (mg("acetaminophen", 325),),
    "Alteplase 100 MG Injection": (mg("alteplase", 100),),
    "Amlodipine 5 MG Oral Tablet": (mg("amlodipine", 5),),
    "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet": (mg("amoxicillin", 250), mg("clavulanate", 125)),
    "Chlorpheniramine Maleate 2 MG/ML Oral Solution": (C("chlorpheniramine", 2, "mg", None, "ml"),),
    "Clopidogrel 75 MG Oral Tablet": (mg("clopidogrel", 75),),
    "Galantamine 4 MG Oral Tablet": (mg("galantamine", 4),),
    "Hydrochlorothiazide 25 MG": (mg("hydrochlorothiazide", 25),),
    "Ibuprofen 200 MG Oral Tablet": (mg("ibuprofen", 200),),
    "Lasix 40mg": (mg("furosemide", 40),),
    "Leucovorin 100 MG Injection": (mg("leucovorin", 100),),
    "Liletta 52 MG Intrauterine System": (mg("levonorgestrel", 52),),
    "Memantine hydrochloride 2 MG/ML Oral Solution": (C("memantine", 2, "mg", None, "ml"),),
    "NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector": (C("epinephrine", 1, "mg", None, "ml"),),
    "Naproxen sodium 220 MG Oral Tablet": (mg("naproxen", 220),),
    "Nitrofurantoin 5 MG/ML Oral Suspension": (C("nitrofurantoin", 5, "mg", None, "ml"),),
    "Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray": (C("nitroglycerin", 0.4, "mg", None, "actuat"),),
    "Penicillin V Potassium 500 MG Oral Tablet": (mg("penicillin v", 500),),
    "Phenazopyridine hydrochloride 100 MG Oral Tablet": (mg("phenazopyridine", 100),),
    "Seasonique 91 Day Pack": (C("levonorgestrel"), C("ethinyl estradiol")),
    "Simvastatin 20 MG Oral Tablet": (mg("simvastatin", 20),),
    "Simvistatin 10 MG": (mg("simvastatin", 10),),
    "Vitamin B 12 5 MG/ML Injectable Solution": (C("cyanocobalamin", 5, "mg", None, "ml"),),
    "ferrous sulfate 325 MG Oral Tablet": (mg("ferrous sulfate", 325),),
}

"""Every code system URL and code the FHIR export writes, each with the published source it was checked
against (the same sources are listed, with their addresses, in docs/fhir.md).

Codes Sciatrack made up itself live under Sciatrack's own URLs (``SCIATRACK_*``); a published code is only
used here after it was found in a published source, and the comment beside it names that source.
"""

from __future__ import annotations

from typing import Any

# --- Code systems and identifier systems -------------------------------------------------------------
# LOINC: the system URL FHIR R4 names for LOINC (https://hl7.org/fhir/R4/loinc.html).
LOINC = "http://loinc.org"
# SNOMED CT: the system URL FHIR R4 names for SNOMED CT (https://hl7.org/fhir/R4/snomedct.html).
SNOMED = "http://snomed.info/sct"
# UCUM: the system URL FHIR R4 names for units (https://hl7.org/fhir/R4/ucum.html).
UCUM = "http://unitsofmeasure.org"
# Observation category code system, R4 (https://terminology.hl7.org/CodeSystem-observation-category.html).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Flag category code system, R4 (https://terminology.hl7.org/CodeSystem-flag-category.html).
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
# Provenance agent type code system, R4 (https://terminology.hl7.org/CodeSystem-provenance-participant-type.html).
PROVENANCE_PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
# v3 DataOperation, R4's Provenance.activity binding (https://terminology.hl7.org/CodeSystem-v3-DataOperation.html).
V3_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
# Care plan category: SNOMED CT is the R4 example binding (https://hl7.org/fhir/R4/valueset-care-plan-category.html).

# --- Sciatrack's own systems ---------------------------------------------------------------------------
SCIATRACK = "https://sciatrack.org/fhir"
PATIENT_IDENTIFIER_SYSTEM = f"{SCIATRACK}/sid/patient"
PRACTITIONER_IDENTIFIER_SYSTEM = f"{SCIATRACK}/sid/practitioner"
# Sciatrack's own codes where no published one fits (scores of SBI and PSFS, triage tiers, session kinds).
SCIATRACK_CODES = f"{SCIATRACK}/CodeSystem/sciatrack"
QUESTIONNAIRE_BASE = f"{SCIATRACK}/Questionnaire"
ACTIVITY_DEFINITION_BASE = f"{SCIATRACK}/ActivityDefinition"

# --- Observation categories (observation-category code system, see above) ------------------------------
CATEGORY_SURVEY = "survey"
CATEGORY_ACTIVITY = "activity"

# --- LOINC ---------------------------------------------------------------------------------------------
# "Pain severity - 0-10 verbal numeric rating [Score] - Reported": https://loinc.org/72514-3/ (as used in
# the HL7 Belgium Patient Monitoring IG's pain-scale ValueSet and the ANS mesures-de-santé IG examples).
PAIN_SEVERITY_0_10 = "72514-3"
PAIN_SEVERITY_0_10_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
# "Exercise duration": https://loinc.org/55411-3/ (HL7 Physical Activity IG 1.0.0, ValueSet
# pa-observation-code-activity and Observation-ExampleActivityDuration).
EXERCISE_DURATION = "55411-3"
EXERCISE_DURATION_DISPLAY = "Exercise duration"

# PEG: LOINC panel 91148-7 "PEG 3 item pain scale" and its mean 91147-9 "Mean score [PEG]":
# https://loinc.org/91148-7/ and https://loinc.org/91147-9/ (LOINC's own FHIR Questionnaire is
# http://loinc.org/q/91148-7; the mean's LOINC entry is quoted at
# https://www.healthassure.in/codes/loinc-91147-9-mean-score-peg). The three item codes could not be
# confirmed in a published source, so the items carry Sciatrack's own codes (see docs/fhir.md).
PEG_PANEL = "91148-7"
PEG_PANEL_DISPLAY = "Pain intensity, Enjoyment of life, General activity (PEG) 3 item pain scale"
PEG_MEAN = "91147-9"
PEG_MEAN_DISPLAY = "Mean score [PEG]"

# --- SNOMED CT body sites ------------------------------------------------------------------------------
# Sciatica's leg pain runs from buttock to foot, so the whole limb, not "lower leg" (below the knee).
# 61685007 "Lower limb structure (body structure)", synonym "Leg": SNOMED CT RF2 release as shown by the
# VetSCT RF2 browser (https://vtsl.vetmed.vt.edu/Terminologymgt/RF2Viewer/display.cfm?SCT_ConceptID=61685007).
LEG_SITE = "61685007"
LEG_SITE_DISPLAY = "Lower limb structure"
# 37822005 "Lower back structure": HL7 Switzerland CH IG, ValueSet period-pain-body-sites
# (https://build.fhir.org/ig/ahdis/ch-ig/branches/mz_wff_hmb/ValueSet-community-facing-questionnaire_period-pain-body-sites.html),
# and SNOMED's own editorial guide (a parent of "Structure of left half of lower back").
LOW_BACK_SITE = "37822005"
LOW_BACK_SITE_DISPLAY = "Lower back structure"

# 229065009 "Exercise therapy (regime/therapy)": the code of the HL7 Physical Activity IG 1.0.0's exercise
# prescription example (https://hl7.org/fhir/us/physical-activity/ServiceRequest-Scen1ExerciseRx.html).
EXERCISE_THERAPY = "229065009"
EXERCISE_THERAPY_DISPLAY = "Exercise therapy (regime/therapy)"

# --- UCUM ----------------------------------------------------------------------------------------------
# "min" (minute) and "s" (second): UCUM codes, https://ucum.org/ucum (also in the PA IG example above).
UCUM_MINUTE = "min"
UCUM_SECOND = "s"
# "{score}": a UCUM annotation on unity, as LOINC's example units for scores (https://ucum.org/ucum#section-Syntax-Rules).
UCUM_SCORE = "{score}"
# "{repetition}": a UCUM annotation on unity, for a count of repetitions.
UCUM_REPETITION = "{repetition}"
# FHIR core extension linking a request to its Goal, as the PA IG's ServiceRequest example does
# (https://hl7.org/fhir/R4/extension-resource-pertainstogoal.html).
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """One Coding, display left out when there is none."""
    found: dict[str, Any] = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict[str, Any]:
    """A CodeableConcept of one Coding."""
    found: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text:
        found["text"] = text
    return found

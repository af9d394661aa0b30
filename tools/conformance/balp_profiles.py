#!/usr/bin/env python3
"""Writes MedHub's restatement of the IHE BALP 1.1 AuditEvent profiles it claims, as differential
StructureDefinitions at BALP's canonical URLs, into platform/src/test/resources/conformance/balp/.

Only the constraints MedHub relies on are restated, slice by slice, from the published profile rules;
R4Conformance (platform test-jar) gives them snapshots and validates events against them. Nothing is
fetched. Run it again after changing a rule here and commit the JSON it writes."""
import json
import re
import pathlib

BALP = "https://profiles.ihe.net/ITI/BALP"
VERSION = "1.1.3"
OUT = pathlib.Path(__file__).resolve().parents[2] / "platform/src/test/resources/conformance/balp"

DCM = "http://dicom.nema.org/resources/ontology/DCM"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
INTERACTION = "http://hl7.org/fhir/restful-interaction"
ENTITY_TYPE_BALP = BALP + "/CodeSystem/BasicAuditEntityType"
DATA_SOURCES = BALP + "/ValueSet/DataSources"
REST_OBJECT_ROLES = BALP + "/ValueSet/RestObjectRoles"

SOURCE = (DCM, "110153")
DESTINATION = (DCM, "110152")
APPLICATION = (DCM, "110150")
CUSTODIAN = (PROVENANCE_PARTICIPANT, "custodian")
IRCP = (PARTICIPATION, "IRCP")

# R4's AuditEvent elements (and the Reference and Identifier elements a profile here reaches into) in
# the order of the base snapshot. A differential must list its elements in that order: the snapshot
# generator walks base and differential together and silently drops an element that comes after its
# successor (an entity slice's type listed after its what lost its pattern, and with it the slicing).
R4_ORDER = [
    "AuditEvent", "AuditEvent.type", "AuditEvent.subtype", "AuditEvent.action", "AuditEvent.period",
    "AuditEvent.recorded", "AuditEvent.outcome", "AuditEvent.outcomeDesc", "AuditEvent.purposeOfEvent",
    "AuditEvent.agent", "AuditEvent.agent.type", "AuditEvent.agent.role", "AuditEvent.agent.who",
    "AuditEvent.agent.altId", "AuditEvent.agent.name", "AuditEvent.agent.requestor", "AuditEvent.agent.location",
    "AuditEvent.agent.policy", "AuditEvent.agent.media", "AuditEvent.agent.network",
    "AuditEvent.agent.purposeOfUse", "AuditEvent.source", "AuditEvent.entity", "AuditEvent.entity.what",
    "AuditEvent.entity.what.reference", "AuditEvent.entity.what.type", "AuditEvent.entity.what.identifier",
    "AuditEvent.entity.what.identifier.system", "AuditEvent.entity.what.identifier.value",
    "AuditEvent.entity.what.display", "AuditEvent.entity.type", "AuditEvent.entity.role",
    "AuditEvent.entity.lifecycle", "AuditEvent.entity.securityLabel", "AuditEvent.entity.name",
    "AuditEvent.entity.description", "AuditEvent.entity.query", "AuditEvent.entity.detail",
]

# BALP slices agents and entities by the pattern of their type.
ENTITY_SLICING = {"discriminator": [{"type": "pattern", "path": "type"}], "rules": "open"}

# The elements a delete's agents and entities must leave out (BALP Delete: 0..0).
DELETE_AGENT_ABSENT = ["role", "altId", "name", "location", "policy", "media", "purposeOfUse"]
DELETE_USER_ABSENT = ["altId", "location", "policy", "media", "network"]
DELETE_ENTITY_ABSENT = ["lifecycle", "name", "query", "detail"]


def element(element_id, **fields):
    """An element of the differential; its path is its id without slice names."""
    return {"id": element_id, "path": re.sub(r":[^.]+", "", element_id), **fields}


def sliced_element(element_id, slice_name, minimum, maximum):
    return element(element_id, sliceName=slice_name, min=minimum, max=maximum)


def coding(pair):
    return {"system": pair[0], "code": pair[1]}


def absent(prefix, names):
    return [element(prefix + "." + name, min=0, max="0") for name in names]


def base_profile(name, title, subtypes, subtype_min_slice, action, client, server, user_type, entities, delete=False):
    """subtypes: slice name -> restful-interaction code; user_type: a coding pair or a ValueSet URL."""
    e = [
        element("AuditEvent.type", patternCoding={"system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
                                                  "code": "rest"}),
    ]
    if delete:
        e.append(element("AuditEvent.subtype", min=1, max="1", patternCoding=coding((INTERACTION, "delete"))))
    else:
        e.append(element("AuditEvent.subtype", min=1, slicing={
            "discriminator": [{"type": "value", "path": "$this"}], "rules": "open"}))
        for slice_name, code in subtypes.items():
            e.append(sliced_element("AuditEvent.subtype:" + slice_name, slice_name,
                                    1 if slice_name == subtype_min_slice else 0, "1")
                     | {"patternCoding": coding((INTERACTION, code))})
    e += [
        element("AuditEvent.action", patternCode=action),
        element("AuditEvent.recorded", min=1, max="1"),
        element("AuditEvent.outcome", patternCode="0"),
        element("AuditEvent.agent", min=2, slicing={
            "discriminator": [{"type": "pattern", "path": "type"}], "rules": "open"}),
    ]
    for slice_name, type_pair in (("client", client), ("server", server)):
        prefix = "AuditEvent.agent:" + slice_name
        e += [
            sliced_element(prefix, slice_name, 1, "1"),
            element(prefix + ".type", patternCodeableConcept={"coding": [coding(type_pair)]}),
            element(prefix + ".who", min=1),
            element(prefix + ".network", min=1),
        ]
        e += absent(prefix, DELETE_AGENT_ABSENT if delete else ["media"])
    prefix = "AuditEvent.agent:user"
    e.append(sliced_element(prefix, "user", 0, "1"))
    if isinstance(user_type, tuple):
        e.append(element(prefix + ".type", patternCodeableConcept={"coding": [coding(user_type)]}))
    else:
        e.append(element(prefix + ".type", binding={"strength": "required", "valueSet": user_type}))
    e += [
        element(prefix + ".who", min=1),
        element(prefix + ".requestor", patternBoolean=True),
    ]
    e += absent(prefix, DELETE_USER_ABSENT if delete else ["media", "network"])
    e.append(element("AuditEvent.entity", min=1, slicing=ENTITY_SLICING))
    prefix = "AuditEvent.entity:transaction"
    e += [
        sliced_element(prefix, "transaction", 0, "1"),
        element(prefix + ".type", patternCoding=coding((ENTITY_TYPE_BALP, "XrequestId"))),
        # Each step down to the value, or the snapshot generator cannot unfold Reference.identifier.
        element(prefix + ".what", min=1),
        element(prefix + ".what.identifier", min=1),
        element(prefix + ".what.identifier.value", min=1),
    ]
    if delete:
        e += absent(prefix, ["lifecycle", "securityLabel", "name", "query", "detail"])
    e += entities
    return structure_definition(name, title, "http://hl7.org/fhir/StructureDefinition/AuditEvent", e)


def data_entity(delete=False):
    prefix = "AuditEvent.entity:data"
    e = [
        sliced_element(prefix, "data", 1, "1"),
        element(prefix + ".type", patternCoding=coding((ENTITY_TYPE, "2"))),
        element(prefix + ".role", binding={"strength": "required", "valueSet": REST_OBJECT_ROLES}),
        element(prefix + ".what", min=1),
    ]
    return e + (absent(prefix, DELETE_ENTITY_ABSENT) if delete else [])


def query_entity():
    prefix = "AuditEvent.entity:query"
    return [
        sliced_element(prefix, "query", 1, "1"),
        element(prefix + ".type", patternCoding=coding((ENTITY_TYPE, "2"))),
        element(prefix + ".role", patternCoding=coding((OBJECT_ROLE, "24"))),
        element(prefix + ".what", min=0, max="0"),
        element(prefix + ".lifecycle", min=0, max="0"),
        element(prefix + ".query", min=1, max="1"),
        element(prefix + ".detail", min=0, max="0"),
    ]


def patient_profile(name, title, parent, entity_min, delete=False):
    prefix = "AuditEvent.entity:patient"
    e = [
        # The slicing restated, as BALP does: without it the generated snapshot lost the parent's discriminators.
        element("AuditEvent.entity", min=entity_min, slicing=ENTITY_SLICING),
        sliced_element(prefix, "patient", 1, "1"),
        element(prefix + ".type", patternCoding=coding((ENTITY_TYPE, "1"))),
        element(prefix + ".role", patternCoding=coding((OBJECT_ROLE, "1"))),
        element(prefix + ".what", min=1, type=[{
            "code": "Reference", "targetProfile": ["http://hl7.org/fhir/StructureDefinition/Patient"]}]),
    ]
    if delete:
        e += absent(prefix, ["lifecycle", "securityLabel", "name", "query", "detail"])
    return structure_definition(name, title, profile_url(parent), e)


def profile_url(name):
    return BALP + "/StructureDefinition/IHE.BasicAudit." + name


def in_base_order(differential):
    """The elements sorted as the base snapshot lists them: an element before its children, an unsliced
    element before its slices, each slice with its children, slices in the order they were given."""
    slice_rank = {}

    def key(item):
        segments = item["id"].split(".")
        steps = []
        for depth in range(1, len(segments) + 1):
            path = ".".join(segment.split(":")[0] for segment in segments[:depth])
            sliced = ":" in segments[depth - 1]
            rank = slice_rank.setdefault(".".join(segments[:depth]), len(slice_rank) + 1) if sliced else 0
            steps.append((R4_ORDER.index(path), rank))
        return steps

    return sorted(differential, key=key)


def structure_definition(name, title, base, differential):
    return {
        "resourceType": "StructureDefinition",
        "id": "IHE.BasicAudit." + name,
        "url": profile_url(name),
        "version": VERSION,
        "name": name,
        "title": title,
        "status": "active",
        "description": "MedHub's restatement, for its conformance tests, of the IHE BALP " + VERSION
                       + " constraints of this profile that MedHub's audit events rely on.",
        "fhirVersion": "4.0.1",
        "kind": "resource",
        "abstract": False,
        "type": "AuditEvent",
        "baseDefinition": base,
        "derivation": "constraint",
        "differential": {"element": in_base_order(differential)},
    }


def value_set(name, title, system_codes):
    includes = {}
    for system, code, display in system_codes:
        includes.setdefault(system, []).append({"code": code, "display": display})
    return {
        "resourceType": "ValueSet", "id": name, "url": BALP + "/ValueSet/" + name, "version": VERSION,
        "name": name, "title": title, "status": "active",
        "compose": {"include": [{"system": s, "concept": c} for s, c in includes.items()]},
    }


def resources():
    yield base_profile("Create", "Successful RESTful create", {"anyCreate": "create"}, "anyCreate", "C",
                       SOURCE, DESTINATION, DATA_SOURCES, data_entity())
    yield patient_profile("PatientCreate", "Successful RESTful create about a patient", "Create", 2)
    yield base_profile("Read", "Successful RESTful read", {"anyRead": "read", "anyVread": "vread"}, None, "R",
                       DESTINATION, SOURCE, IRCP, data_entity())
    yield patient_profile("PatientRead", "Successful RESTful read about a patient", "Read", 2)
    yield base_profile("Update", "Successful RESTful update", {"anyUpdate": "update", "anyPatch": "patch"}, None, "U",
                       SOURCE, DESTINATION, DATA_SOURCES, data_entity())
    yield patient_profile("PatientUpdate", "Successful RESTful update about a patient", "Update", 2)
    yield base_profile("Delete", "Successful RESTful delete", {}, None, "D",
                       APPLICATION, CUSTODIAN, DATA_SOURCES, data_entity(delete=True), delete=True)
    yield patient_profile("PatientDelete", "Successful RESTful delete about a patient", "Delete", 2, delete=True)
    yield base_profile("Query", "Successful RESTful search",
                       {"anySearch": "search", "anySearchT": "search-type", "anySearchS": "search-system"}, None,
                       "E", SOURCE, DESTINATION, IRCP, query_entity())
    yield patient_profile("PatientQuery", "Successful RESTful search about a patient", "Query", 1)
    yield value_set("DataSources", "User types of a RESTful write", [
        (PARTICIPATION, "AUT", "author (originator)"),
        (PARTICIPATION, "INF", "informant"),
        (PARTICIPATION, "CST", "custodian")])
    yield value_set("RestObjectRoles", "Roles of a RESTful object", [
        (OBJECT_ROLE, "4", "Domain Resource"),
        (OBJECT_ROLE, "3", "Report"),
        (OBJECT_ROLE, "20", "Job")])
    yield {
        "resourceType": "CodeSystem", "id": "BasicAuditEntityType", "url": ENTITY_TYPE_BALP, "version": VERSION,
        "name": "BasicAuditEntityType", "status": "active", "content": "fragment", "caseSensitive": True,
        "concept": [{"code": "XrequestId", "display": "X-Request-Id of the HTTP request"}],
    }


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for resource in resources():
        path = OUT / (resource["resourceType"] + "-" + resource["id"] + ".json")
        path.write_text(json.dumps(resource, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(OUT.parents[4]))

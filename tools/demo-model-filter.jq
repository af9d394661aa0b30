# Cuts a Synthea patient transaction bundle down to what the demo model's cohort spec reads, so that the
# model cohort of the first `./medhub up` loads in minutes rather than an hour: the Patient, its
# Conditions, and the Observations whose code or component code (the blood pressure panel carries the
# systolic value as a component) is one of $codes (a JSON array, taken from the spec by ./medhub).
# References to resources that are left out (encounters, practitioners, organizations, ...) are removed,
# so the transaction still resolves; arrays they leave empty go too, as FHIR JSON has no empty arrays.

def read_by_spec($wanted):
  .resourceType == "Patient" or .resourceType == "Condition"
  or (.resourceType == "Observation"
      and any(.code.coding[]?.code, .component[]?.code.coding[]?.code; $wanted[.] == true));

def dangling($kept): type == "object" and has("reference") and ($kept[.reference] | not);

($codes | map({key: ., value: true}) | from_entries) as $wanted
| .entry |= map(select(.resource | read_by_spec($wanted)))
| (.entry | map({key: .fullUrl, value: true}) | from_entries) as $kept
| .entry[].resource |= walk(
    if type == "object" then with_entries(select((.value | dangling($kept)) or .value == [] | not))
    elif type == "array" then map(select(dangling($kept) | not))
    else . end)

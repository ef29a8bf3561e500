"""What an LMS reads from a SCORM 2004 manifest to sequence it: the activity tree with its
sequencing (control modes, rollup rules and controls, primary objectives, delivery controls),
in the form scorm-again's sequencing engine takes (``ActivitySettings``), and where each leaf
is launched. Only what the packager writes is read; anything else in a manifest is an error
here, so a new construct in the manifest cannot go untested by the engine."""

from __future__ import annotations

from lxml import etree

SS = "{http://www.imsglobal.org/xsd/imsss}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"

CONTROL_MODE = (
    "choice",
    "choiceExit",
    "flow",
    "forwardOnly",
    "useCurrentAttemptObjectiveInfo",
    "useCurrentAttemptProgressInfo",
)
ROLLUP_CONTROLS = ("rollupObjectiveSatisfied", "rollupProgressCompletion")
DELIVERY = ("tracked", "completionSetByContent", "objectiveSetByContent")


def _bool(value: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError(f"not an xs:boolean: {value!r}")
    return value == "true"


def _attrs(el: etree._Element, names: tuple[str, ...]) -> dict[str, bool]:
    unknown = set(el.attrib) - set(names)
    if unknown:
        raise ValueError(f"{el.tag}: attributes not read here: {sorted(unknown)}")
    return {name: _bool(el.get(name)) for name in names if el.get(name) is not None}


def _rollup_rule(rule: etree._Element) -> dict:
    conditions_el = rule.find(f"{SS}rollupConditions")
    conditions = [
        {"condition": c.get("condition"), "operator": c.get("operator", "noOp")}
        for c in conditions_el.findall(f"{SS}rollupCondition")
    ]
    out = {
        "action": rule.find(f"{SS}rollupAction").get("action"),
        "consideration": rule.get("childActivitySet", "all"),
        "conditionCombination": conditions_el.get("conditionCombination", "any"),
        "conditions": conditions,
    }
    for name, key in (("minimumCount", "minimumCount"), ("minimumPercent", "minimumPercent")):
        if rule.get(name) is not None:
            out[key] = float(rule.get(name))
    return out


def _sequencing(el: etree._Element, activity: dict) -> None:
    seq = el.find(f"{SS}sequencing")
    if seq is None:
        return
    controls: dict = {}
    for child in seq:
        tag = etree.QName(child).localname
        if tag == "controlMode":
            controls |= _attrs(child, CONTROL_MODE)
        elif tag == "rollupRules":
            controls |= _attrs(child, ROLLUP_CONTROLS)
            rules = [_rollup_rule(r) for r in child.findall(f"{SS}rollupRule")]
            if rules:
                activity["rollupRules"] = {"rules": rules}
        elif tag == "objectives":
            primary = child.find(f"{SS}primaryObjective")
            if len(child) != 1 or primary is None:
                raise ValueError("only a primary objective is read here")
            objective: dict = {"objectiveID": primary.get("objectiveID")}
            if primary.get("satisfiedByMeasure") is not None:
                objective["satisfiedByMeasure"] = _bool(primary.get("satisfiedByMeasure"))
            measure = primary.findtext(f"{SS}minNormalizedMeasure")
            if measure is not None:
                objective["minNormalizedMeasure"] = float(measure)
            activity["primaryObjective"] = objective
        elif tag == "deliveryControls":
            activity["deliveryControls"] = _attrs(child, DELIVERY)
        else:
            raise ValueError(f"sequencing element not read here: {tag}")
    if controls:
        activity["sequencingControls"] = controls


def _activity(el: etree._Element, hrefs: dict[str, str], resources: dict[str, str]) -> dict:
    activity: dict = {"id": el.get("identifier"), "title": el.findtext(f"{CP}title")}
    children = [_activity(item, hrefs, resources) for item in el.findall(f"{CP}item")]
    if children:
        activity["children"] = children
    ref = el.get("identifierref")
    if ref is not None:
        hrefs[activity["id"]] = resources[ref]
    _sequencing(el, activity)
    return activity


def activity_tree(manifest: bytes) -> tuple[dict, dict[str, str]]:
    """The default organization as scorm-again's activity tree, and each leaf's launch href."""
    root = etree.fromstring(manifest)
    orgs = root.find(f"{CP}organizations")
    org = next(
        o for o in orgs.findall(f"{CP}organization") if o.get("identifier") == orgs.get("default")
    )
    resources = {r.get("identifier"): r.get("href") for r in root.iter(f"{CP}resource")}
    hrefs: dict[str, str] = {}
    return _activity(org, hrefs, resources), hrefs

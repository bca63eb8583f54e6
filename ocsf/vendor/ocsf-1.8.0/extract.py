"""Extract the part of the compiled OCSF 1.8.0 document this crate reads.

Run from this folder with the reference's compiled document:

    python3 extract.py ../../../../shared/reference/ocsf/compiled/ocsf-1.8.0.json > ocsf-1.8.0.subset.json

Keeps the eight classes the mapping may target (the seven of the mapping and
Base Event), every object reachable from them, and the dictionary's types,
each without descriptions: names, types, arrays, enum captions, profiles,
profiles, requirements and constraints. Output is sorted and byte-stable.
"""
import json
import sys

CLASSES = ["file_hosting", "data_security_finding", "detection_finding",
           "file_remediation_activity", "authentication", "entity_management",
           "account_change", "base_event"]


def attrs(attributes):
    out = {}
    for name, a in attributes.items():
        b = {"type": a["type"]}
        for key in ("object_type", "is_array", "requirement"):
            if a.get(key) is not None:
                b[key] = a[key]
        # Classes name an attribute's profile in `profile`, objects in `profiles`.
        profiles = set(a.get("profiles") or []) | ({a["profile"]} if a.get("profile") else set())
        if profiles:
            b["profiles"] = sorted(profiles)
        if "enum" in a:
            b["enum"] = {k: v["caption"] for k, v in a["enum"].items()}
        out[name] = b
    return out


def main(path):
    d = json.load(open(path))
    classes, todo = {}, []
    for c in CLASSES:
        k = d["classes"][c]
        classes[c] = {"uid": k["uid"], "caption": k["caption"],
                      "category_uid": k.get("category_uid", 0),
                      "category_name": k.get("category_name", "Uncategorized"),
                      "attributes": attrs(k["attributes"])}
        todo += [a["object_type"] for a in k["attributes"].values() if "object_type" in a]
    objects = {}
    while todo:
        o = todo.pop()
        if o in objects:
            continue
        k = d["objects"][o]
        objects[o] = {"caption": k["caption"], "attributes": attrs(k["attributes"])}
        if k.get("constraints"):
            objects[o]["constraints"] = k["constraints"]
        todo += [a["object_type"] for a in k["attributes"].values() if "object_type" in a]
    types = {}
    for name, t in d["dictionary"]["types"]["attributes"].items():
        types[name] = {key: t[key] for key in ("type", "regex", "max_len", "range") if key in t}
    out = {"version": d["version"], "classes": classes, "objects": objects, "types": types}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main(sys.argv[1])

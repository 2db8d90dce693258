//! `docs/policy-reference.md`, rendered from the policy's JSON schema: every table and key with
//! its type and description, so the reference says exactly what editors validate.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Map, Value};

const HEADER: &str = "\
<!-- Generated from the policy's JSON schema (policy/policy.schema.json), itself generated from
     crates/secretlint-engine/src/policy/raw.rs: edit the doc comments there, then run
     `SECRETLINT_BLESS=1 cargo test --bin secretlint generated`. -->
# Policy reference

A policy is a TOML file, `secretlint.toml`, found upward from the checked path (or named with
`--policy`). This page lists every table and key the policy language has; the
[user guide](guide.md#writing-a-policy) shows how they fit together, and
[`policy/jobswipe.toml`](../policy/jobswipe.toml) is a complete example.

The same information is in the JSON schema [`policy/policy.schema.json`](../policy/policy.schema.json).
Start a policy with a `#:schema` line and TOML editors built on Taplo (Even Better TOML in VS
Code, Taplo's language server in Neovim, Helix, Zed) complete keys, show these descriptions on
hover and flag mistakes as you type:

```toml
#:schema {SCHEMA_URL}
version = 1
```

Paths below use `<name>` for a name you choose and `[]` for an entry of an array of tables
(`secrets[]` is a `[[secrets]]` entry).
";

pub fn markdown(schema: &Value) -> String {
    let defs = schema["definitions"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let used_at = used_at(schema, &defs);
    let mut out = HEADER.replace("{SCHEMA_URL}", secretlint_engine::propose::SCHEMA_URL);

    let _ = writeln!(out, "\n## Top level\n");
    if let Some(d) = schema["description"].as_str() {
        let _ = writeln!(out, "{d}\n");
    }
    fields(&mut out, schema);

    // Tables in the order a policy is usually written; anything new goes after them, by name.
    let order = [
        "Settings",
        "Environment",
        "Profile",
        "Generate",
        "Secret",
        "Requirements",
        "Format",
        "Link",
        "Backup",
        "Rules",
        "Duration",
    ];
    let mut names: Vec<&String> = defs.keys().collect();
    names.sort_by_key(|n| (order.iter().position(|o| o == n).unwrap_or(order.len()), *n));
    for name in names {
        let def = &defs[name];
        let _ = writeln!(out, "\n## {name}\n");
        if let Some(at) = used_at.get(name.as_str()) {
            let at: Vec<String> = at.iter().map(|p| format!("`{p}`")).collect();
            let _ = writeln!(out, "Used at: {}.\n", at.join(", "));
        }
        if let Some(d) = def["description"].as_str() {
            let _ = writeln!(out, "{d}\n");
        }
        if def.get("properties").is_some() {
            fields(&mut out, def);
        } else if let Some(variants) = def["anyOf"].as_array() {
            let _ = writeln!(out, "One of:\n");
            for v in variants {
                let what = v["description"].as_str().unwrap_or("");
                let _ = writeln!(out, "- {}: {what}", ty(v));
                if v.get("properties").is_some() {
                    out.push('\n');
                    let mut nested = String::new();
                    fields(&mut nested, v);
                    for line in nested.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                }
            }
        } else {
            let _ = writeln!(out, "Type: {}.", ty(def));
            if let Some(examples) = def["examples"].as_array() {
                let ex: Vec<String> = examples.iter().map(|e| format!("`{e}`")).collect();
                let _ = writeln!(out, "Examples: {}.", ex.join(", "));
            }
        }
    }
    out
}

/// The table of an object's keys. When every key has the same type (the severities of
/// `[rules]`), the type is said once and each row links to what the key documents.
fn fields(out: &mut String, object: &Value) {
    let Some(props) = object["properties"].as_object() else {
        return;
    };
    let required: Vec<&str> = object["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let types: Vec<String> = props.values().map(ty).collect();
    let uniform = props.len() > 3 && types.windows(2).all(|w| w[0] == w[1]);
    if uniform {
        let _ = writeln!(out, "Every value: {}.\n", types[0]);
        let _ = writeln!(out, "| Key | Description |\n| --- | --- |");
    } else {
        let _ = writeln!(out, "| Key | Type | Description |\n| --- | --- | --- |");
    }
    for ((key, prop), ty) in props.iter().zip(&types) {
        let mut description = prop["description"].as_str().unwrap_or("").to_owned();
        if let Some(d) = default(prop) {
            let _ = write!(description, " Default: `{d}`.");
        }
        if required.contains(&key.as_str()) {
            description.insert_str(0, "**Required.** ");
        }
        let description = description.trim().replace('\n', " ").replace('|', "\\|");
        let key = match prop["x-taplo"]["links"]["key"].as_str() {
            // A rule: its page is generated beside this one.
            Some(_) => format!("[`{key}`](rules/{key}.md)"),
            None => format!("`{key}`"),
        };
        if uniform {
            let _ = writeln!(out, "| {key} | {description} |");
        } else {
            let _ = writeln!(
                out,
                "| {key} | {} | {description} |",
                ty.replace('|', "\\|")
            );
        }
    }
}

/// A default worth showing: not empty, not null.
fn default(prop: &Value) -> Option<String> {
    match prop.get("default")? {
        Value::Null => None,
        Value::Array(a) if a.is_empty() => None,
        Value::Object(o) if o.is_empty() => None,
        v => Some(v.to_string()),
    }
}

/// A schema's type, in words, with links to the tables of this page.
fn ty(schema: &Value) -> String {
    if let Some(r) = reference(schema) {
        return format!("[{r}](#{})", r.to_ascii_lowercase());
    }
    if let Some(c) = schema.get("const") {
        return format!("`{c}`");
    }
    if let Some(values) = schema["enum"].as_array() {
        let v: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        return v.join(" | ");
    }
    if let Some(variants) = schema["anyOf"].as_array() {
        let v: Vec<String> = variants.iter().map(ty).collect();
        return v.join(" or ");
    }
    match schema["type"].as_str() {
        Some("array") => format!("array of {}", ty(&schema["items"])),
        Some("object") if schema["additionalProperties"].is_object() => {
            format!("table of {}", ty(&schema["additionalProperties"]))
        }
        Some("object") => "table".to_owned(),
        Some(t @ ("integer" | "number")) => match (schema.get("minimum"), schema.get("maximum")) {
            (Some(lo), Some(hi)) => format!("{t}, {lo} to {hi}"),
            (Some(lo), None) => format!("{t}, at least {lo}"),
            _ => t.to_owned(),
        },
        Some(t) => t.to_owned(),
        None => "any".to_owned(),
    }
}

/// The definition a schema refers to, directly or through a one-element `allOf`.
fn reference(schema: &Value) -> Option<&str> {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next();
    }
    match schema["allOf"].as_array().map(Vec::as_slice) {
        Some([one]) => reference(one),
        _ => None,
    }
}

/// Where each definition is used, as key paths from the top of the policy.
fn used_at(schema: &Value, defs: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut queue = vec![(String::new(), schema.clone())];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((path, object)) = queue.pop() {
        let Some(props) = object["properties"].as_object() else {
            continue;
        };
        for (key, prop) in props {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let (target, at) = if let Some(r) = reference(prop) {
                (Some(r), here)
            } else if let Some(r) = reference(&prop["additionalProperties"]) {
                let name = if key == "overrides" {
                    "<environment>"
                } else {
                    "<name>"
                };
                (Some(r), format!("{here}.{name}"))
            } else if let Some(r) = reference(&prop["items"]) {
                (Some(r), format!("{here}[]"))
            } else if let Some(r) = prop["anyOf"]
                .as_array()
                .and_then(|v| v.iter().find_map(reference))
            {
                (Some(r), here)
            } else {
                (None, here)
            };
            let Some(target) = target else { continue };
            found.entry(target.to_owned()).or_default().push(at.clone());
            if seen.insert((target.to_owned(), at.clone()))
                && let Some(def) = defs.get(target)
            {
                queue.push((at, def.clone()));
            }
        }
    }
    for paths in found.values_mut() {
        paths.sort();
        paths.dedup();
    }
    found
}

//! The JSON schema of the policy language, derived from the raw types in [`super::raw`] and
//! from the engine's own tables (rule ids, formats, charsets, built-in policies), so that
//! editors complete and validate exactly what the compiler accepts. It is committed as
//! `policy/policy.schema.json`, which policies reference with `#:schema`.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use super::Charset;
use super::raw::RawPolicy;
use crate::finding::Severity;
use crate::rules::Rule;
use crate::value::Format;

/// The schema as a JSON value.
pub fn schema() -> Value {
    // Draft 7: the draft Taplo, VS Code and most validators understand fully.
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawPolicy>();
    let mut value = schema.to_value();
    tidy(&mut value);
    value
}

/// Removes `null` from types and defaults (TOML has none: an absent key is how a policy leaves
/// an option unset) and unwraps the doc comments' line breaks
/// inside paragraphs, so editors reflow descriptions themselves.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            if let Some(Value::Array(variants)) = map.get_mut("anyOf") {
                variants.retain(|v| v.get("type").is_none_or(|t| t != "null"));
                if let [one] = variants.as_slice() {
                    let one = one.clone();
                    map.remove("anyOf");
                    match one {
                        // Draft 7 ignores a `$ref`'s siblings; `allOf` keeps the description.
                        Value::Object(o) if o.contains_key("$ref") => {
                            map.insert("allOf".into(), Value::Array(vec![Value::Object(o)]));
                        }
                        Value::Object(o) => map.extend(o),
                        _ => {}
                    }
                }
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [one] = types.as_slice() {
                    let one = one.clone();
                    map.insert("type".into(), one);
                }
            }
            if let Some(Value::String(d)) = map.get_mut("description") {
                *d = d
                    .split("\n\n")
                    .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n\n");
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// The schema as committed: pretty-printed, with a final newline.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The severity names a policy may use, most severe first (`warn` is accepted for `warning`).
pub const SEVERITY_NAMES: [&str; 4] = [
    Severity::Error.as_str(),
    Severity::Warning.as_str(),
    Severity::Info.as_str(),
    Severity::Off.as_str(),
];

fn string_enum(values: impl IntoIterator<Item = impl Into<Value>>) -> Map<String, Value> {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("string"));
    schema.insert(
        "enum".into(),
        Value::Array(values.into_iter().map(Into::into).collect()),
    );
    schema
}

/// `[rules]`: a severity for any rule of the registry, each linked to its documentation.
pub(super) struct RuleSeverities;

impl JsonSchema for RuleSeverities {
    fn schema_name() -> Cow<'static, str> {
        "Rules".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut properties = Map::new();
        for rule in Rule::ALL {
            let mut severity = string_enum(SEVERITY_NAMES.into_iter().chain(["warn"]));
            severity.insert(
                "description".into(),
                json!(format!(
                    "{}. Default: `{}`.",
                    rule.summary(),
                    rule.default_severity().as_str()
                )),
            );
            // Taplo links the key to the rule's page.
            severity.insert(
                "x-taplo".into(),
                json!({ "links": { "key": rule.docs_url() } }),
            );
            properties.insert(rule.id().into(), Value::Object(severity));
        }
        json_schema!({
            "description": "Severity per rule id: `error` and `warning` are reported (`error` fails the run), `info` is shown, `off` silences the rule.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}

pub(super) fn rule_severities(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<RuleSeverities>()
}

/// A whole number of days or weeks (`30d`, `12w`, `90 days`); months and years vary in length
/// and are refused.
pub(super) struct Duration;

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A whole number of days or weeks: `30d`, `12w`, `90 days`. Months and years are refused: their length varies.",
            "type": "string",
            "examples": ["7d", "30d", "12w"],
        })
    }
}

pub(super) fn duration(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<Duration>()
}

pub(super) fn version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "const": 1 })
}

pub(super) fn extends(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(super::BUILTIN_NAMES))
}

pub(super) fn values_kind(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(["secrets", "placeholders-only"]))
}

pub(super) fn scope(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(["owned", "shared"]))
}

pub(super) fn source(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(["generated", "external"]))
}

pub(super) fn distinct_across(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": string_enum(["environments", "keys"]),
        "uniqueItems": true,
    })
}

pub(super) fn format_name(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(Format::ALL.map(Format::name)))
}

pub(super) fn charset(_: &mut SchemaGenerator) -> Schema {
    Schema::from(string_enum(Charset::ALL.map(Charset::name)))
}

pub(super) fn min_length(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 0 })
}

pub(super) fn min_entropy_bits(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number", "minimum": 0, "maximum": 4096 })
}

pub(super) fn min_zxcvbn_score(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 0, "maximum": 4 })
}

pub(super) fn generate_length(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 8, "maximum": 4096 })
}

pub(super) fn url_part(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^[^#]+#(password|username)$",
        "examples": ["DATABASE_URL#password"],
    })
}

#[cfg(test)]
mod tests;

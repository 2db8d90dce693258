//! The schema agrees with the compiler: every policy the compiler accepts (the built-in ones,
//! the fixtures', `init`'s proposals) validates, and typical mistakes the compiler rejects are
//! flagged by the schema too, so an editor never marks a good policy or misses a bad key.
//!
//! The validator is the subset of JSON Schema draft 7 the generated schema uses, written out
//! here so the test needs no validator crate.

use serde_json::Value;

use super::*;
use crate::policy::{Policy, PolicyOrigin};

fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "", &mut errors);
    errors
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/definitions/");
        return check(root, &root["definitions"][name], value, path, errors);
    }
    for sub in schema["allOf"].as_array().into_iter().flatten() {
        check(root, sub, value, path, errors);
    }
    if let Some(variants) = schema["anyOf"].as_array() {
        let ok = variants.iter().any(|v| {
            let mut e = Vec::new();
            check(root, v, value, path, &mut e);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{path}: matches no variant"));
        }
    }
    let type_ok = |t: &str| match t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    };
    match &schema["type"] {
        Value::String(t) if !type_ok(t) => errors.push(format!("{path}: not a {t}")),
        Value::Array(ts) if !ts.iter().filter_map(Value::as_str).any(type_ok) => {
            errors.push(format!("{path}: not any of {ts:?}"));
        }
        _ => {}
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {values:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{path}: {value} is not {c}"));
    }
    if let (Some(min), Some(v)) = (schema["minimum"].as_f64(), value.as_f64())
        && v < min
    {
        errors.push(format!("{path}: {v} < {min}"));
    }
    if let (Some(max), Some(v)) = (schema["maximum"].as_f64(), value.as_f64())
        && v > max
    {
        errors.push(format!("{path}: {v} > {max}"));
    }
    if let (Some(pattern), Some(v)) = (schema["pattern"].as_str(), value.as_str())
        && !regex::Regex::new(pattern).is_ok_and(|r| r.is_match(v))
    {
        errors.push(format!("{path}: {v:?} does not match {pattern}"));
    }
    if let Some(items) = value.as_array() {
        if schema.get("items").is_some() {
            for (i, item) in items.iter().enumerate() {
                check(
                    root,
                    &schema["items"],
                    item,
                    &format!("{path}[{i}]"),
                    errors,
                );
            }
        }
        if schema["uniqueItems"] == true {
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    errors.push(format!("{path}: {item} repeated"));
                }
            }
        }
    }
    if let Some(object) = value.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            if let Some(k) = key.as_str()
                && !object.contains_key(k)
            {
                errors.push(format!("{path}: `{k}` is required"));
            }
        }
        for (key, v) in object {
            let here = format!("{path}.{key}");
            match schema["properties"].get(key) {
                Some(p) => check(root, p, v, &here, errors),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{here}: unknown key")),
                    extra @ Value::Object(_) => check(root, extra, v, &here, errors),
                    _ => {}
                },
            }
        }
    }
}

fn as_json(toml_text: &str) -> Value {
    toml::from_str(toml_text).expect("valid TOML")
}

fn compiles(text: &str) -> bool {
    Policy::from_toml(text, PolicyOrigin::File("test.toml".into())).is_ok()
}

#[test]
fn every_policy_the_compiler_accepts_validates() {
    let schema = schema();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut policies: Vec<(String, String)> = super::super::BUILTIN_NAMES
        .iter()
        .map(|n| {
            (
                format!("built-in `{n}`"),
                super::super::builtin(n).unwrap().to_owned(),
            )
        })
        .collect();
    for rel in [
        "../../tests/fixtures/jobswipe/secretlint.toml",
        "tests/fixtures/rules/_policy.toml",
    ] {
        if let Ok(text) = std::fs::read_to_string(root.join(rel)) {
            policies.push((rel.to_owned(), text));
        }
    }
    let env = "SECRET_KEY=a\nDB_PASSWORD=b\nSTRIPE_API_KEY=c\nDATABASE_URL=d\nAPP_SALT=e\n\
               GRAFANA_ADMIN_PASSWORD=f\nTLS_PRIVATE_KEY=g\nSERVICE_CREDENTIALS=h\n";
    let inputs: Vec<crate::Input> = [".env.production", ".env.staging", ".env.example", ".env"]
        .iter()
        .map(|p| crate::Input::text(*p, env))
        .collect();
    policies.push((
        "init's proposal".into(),
        crate::propose::propose(&inputs).to_toml(),
    ));
    policies.push((
        "init's empty proposal".into(),
        crate::propose::propose(&[]).to_toml(),
    ));
    assert!(policies.len() >= 5);
    for (name, text) in policies {
        assert!(compiles(&text), "{name} does not compile");
        let errors = validate(&schema, &as_json(&text));
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn mistakes_the_compiler_rejects_are_flagged_by_the_schema() {
    let schema = schema();
    for (mistake, text) in [
        (
            "an unknown top-level key",
            "version = 1\nenvironment = {}\n",
        ),
        ("a misspelled rule", "[rules]\ntoo-shot = \"error\"\n"),
        ("an unknown severity", "[rules]\nstale = \"fatal\"\n"),
        (
            "an unknown scope",
            "[[secrets]]\nnames = [\"A\"]\nscope = \"global\"\n",
        ),
        ("a secret without names", "[[secrets]]\nprofile = \"x\"\n"),
        (
            "an unknown charset",
            "[profiles.p]\ngenerate = { charset = \"emoji\" }\n",
        ),
        ("an unknown format", "[profiles.p]\nformat = \"base32\"\n"),
        (
            "a zxcvbn score of 5",
            "[profiles.p]\nmin_zxcvbn_score = 5\n",
        ),
        ("a version 2", "version = 2\n"),
        ("an unknown built-in", "extends = \"strict\"\n"),
        (
            "a link to a host",
            "[[links]]\npart = \"DATABASE_URL#host\"\nequals = \"X\"\n",
        ),
        (
            "an unknown environment key",
            "[environments.production]\nfiles = [\"*\"]\nstrict = true\n",
        ),
    ] {
        assert!(!compiles(text), "the compiler accepts {mistake}");
        assert!(
            !validate(&schema, &as_json(text)).is_empty(),
            "the schema accepts {mistake}"
        );
    }
}

#[test]
fn every_rule_is_a_property_of_rules() {
    let schema = schema();
    let rules = &schema["definitions"]["Rules"]["properties"];
    for rule in Rule::ALL {
        assert!(
            rules[rule.id()].is_object(),
            "{rule} missing from the schema"
        );
        assert_eq!(rules[rule.id()]["x-taplo"]["links"]["key"], rule.docs_url());
    }
}

#[test]
fn severity_names_parse() {
    for name in SEVERITY_NAMES.into_iter().chain(["warn"]) {
        assert!(Severity::parse(name).is_some(), "{name}");
    }
}

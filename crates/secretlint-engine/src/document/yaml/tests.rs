//! Tests of the manifest reader.

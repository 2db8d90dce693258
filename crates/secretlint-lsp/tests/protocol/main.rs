//! Protocol tests: a scripted client talks to the server through its real transport over an
//! in-memory duplex, with Content-Length framing, as an editor would.

mod actions;
mod age;
mod diagnostics;
mod features;
mod hostile;
mod lifecycle;
mod policy;
mod support;

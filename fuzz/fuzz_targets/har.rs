//! The HAR reader (`har::exchanges`, bodies checked) and `redact` (idempotent, leaves no credential).
//! The properties asserted are documented on [`actionlog_fuzz::har_reader`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| actionlog_fuzz::har_reader(data));

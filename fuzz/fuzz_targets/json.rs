//! The positioned JSON reader: `json::parse`, then `SourceMap` (`locate`, `duplicates`).
//! The properties asserted are documented on [`actionlog_fuzz::json_reader`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| actionlog_fuzz::json_reader(data));

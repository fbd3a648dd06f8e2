//! The NDJSON reader (`input::Lines`, whole and in small batches), then each document as in `json`.
//! The properties asserted are documented on [`actionlog_fuzz::ndjson_splitter`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| actionlog_fuzz::ndjson_splitter(data));

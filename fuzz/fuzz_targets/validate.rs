//! One input against every contract in `actionlog_models::CONTRACTS`.
//! The properties asserted are documented on [`actionlog_fuzz::validate_every_contract`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| actionlog_fuzz::validate_every_contract(data));

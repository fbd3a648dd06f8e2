//! The strategies reach what the properties are meant to cover: every
//! documented enum value, absent and `null` members, empty and long lists.
//! A strategy that never produced `null` would make the round-trip property
//! pass without testing the tri-state at all.

use actionlog_models::Nullable;
use actionlog_models::contracts::{auth0, buddy, stackone, tines};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;

fn samples<T: Arbitrary>(count: usize) -> Vec<T> {
    let mut runner = TestRunner::new(Config::default());
    let strategy = any::<T>();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

macro_rules! reaches_every_documented_value {
    ($($test:ident: $ty:ty,)+) => {$(
        #[test]
        fn $test() {
            let seen: BTreeSet<String> = samples::<$ty>(400)
                .iter()
                .map(|value| value.as_str().to_owned())
                .collect();
            let documented: BTreeSet<String> =
                <$ty>::DOCUMENTED.iter().map(|value| value.to_string()).collect();
            assert_eq!(seen, documented);
        }
    )+};
}

reaches_every_documented_value! {
    auth0_triggers: auth0::TriggerId,
    auth0_statuses: auth0::ExecutionStatus,
    buddy_statuses: buddy::ExecutionStatus,
    stackone_log_types: stackone::LogType,
}

#[test]
fn nullable_members_are_absent_null_and_present() {
    let logs = samples::<stackone::ActionLog>(200);
    let states = |pick: fn(&stackone::ActionLog) -> &Nullable<f64>| {
        let mut seen = [false; 3];
        for log in &logs {
            match pick(log) {
                Nullable::Absent => seen[0] = true,
                Nullable::Null => seen[1] = true,
                Nullable::Value(_) => seen[2] = true,
            }
        }
        seen
    };
    assert_eq!(states(|log| &log.duration_ms), [true; 3]);
    assert_eq!(states(|log| &log.tier2_score), [true; 3]);
    assert!(
        logs.iter()
            .any(|log| log.duration_ms.value().is_some_and(|ms| ms.fract() != 0.0))
    );
}

#[test]
fn lists_are_absent_empty_and_long() {
    let executions = samples::<buddy::ActionExecution>(200);
    let lengths: Vec<Option<usize>> = executions
        .iter()
        .map(|execution| execution.log.as_ref().map(Vec::len))
        .collect();
    assert!(lengths.contains(&None));
    assert!(lengths.contains(&Some(0)));
    assert!(lengths.iter().flatten().any(|&length| length >= 32));

    let pages = samples::<tines::ActionEvents>(200);
    assert!(
        pages
            .iter()
            .any(|page| page.events.as_ref().is_some_and(Vec::is_empty))
    );
    assert!(
        pages
            .iter()
            .any(|page| page.events.as_ref().is_some_and(|events| events.len() >= 6))
    );
}

#[test]
fn timestamps_cover_every_precision() {
    let digits: BTreeSet<usize> = samples::<actionlog_models::Timestamp>(400)
        .iter()
        .map(|timestamp| {
            let text = timestamp.as_str();
            text.find('.').map_or(0, |dot| {
                text[dot + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count()
            })
        })
        .collect();
    assert_eq!(digits, (0..=9).collect());
}

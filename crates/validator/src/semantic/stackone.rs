//! StackOne action logs: start before end, the duration agrees with them,
//! `success` agrees with the status code's class, the status code is real.

use super::{Report, Request};
use crate::rules::Rule;
use actionlog_models::Timestamp;
use actionlog_models::contracts::stackone::ActionLog;
use serde::Deserialize;

pub(super) struct Rules;

/// What the rules read of a log; a null member reads as absent.
#[derive(Deserialize)]
pub(super) struct View {
    event_time: Option<Timestamp>,
    start_time: Option<Timestamp>,
    end_time: Option<Timestamp>,
    duration_ms: Option<f64>,
    success: Option<bool>,
    status_code: Option<f64>,
}

impl super::Rules for Rules {
    const READS: &'static [&'static str] = &[
        "/start_time",
        "/end_time",
        "/event_time",
        "/duration_ms",
        "/status_code",
        "/success",
    ];
    type Model = ActionLog;
    type View<'de> = View;

    fn check(log: &View, _: Option<&Request>, report: &mut Report<'_>) {
        check(log, report);
    }
}

fn check(log: &View, report: &mut Report<'_>) {
    let start = log.start_time.as_ref();
    let end = log.end_time.as_ref();
    report.not_before(("/start_time", start), ("/end_time", end));
    for (at, timestamp) in [
        ("/event_time", &log.event_time),
        ("/start_time", &log.start_time),
        ("/end_time", &log.end_time),
    ] {
        report.sane(at, timestamp.as_ref());
    }

    if let Some(duration) = log.duration_ms {
        if duration < 0.0 {
            report.push(
                Rule::ValueRange,
                "/duration_ms".to_owned(),
                format!("duration_ms {duration} is negative"),
                "a duration of 0 ms or more",
            );
        } else if let (Some(start), Some(end)) = (start, end)
            && end.cmp_instant(start).is_ge()
        {
            // An end before the start is time.order's finding; a duration
            // compared with a negative span would only repeat it.
            let elapsed = (end.instant() - start.instant())
                .num_microseconds()
                .map_or(f64::MAX, |us| us as f64 / 1000.0);
            let tolerance = precision_ms(start).max(precision_ms(end)) + 1.0;
            if (duration - elapsed).abs() > tolerance {
                report.push(
                    Rule::TimeDuration,
                    "/duration_ms".to_owned(),
                    format!("duration_ms {duration} disagrees with end_time - start_time = {elapsed} ms"),
                    format!("end_time - start_time within {tolerance} ms (the timestamps' precision + 1 ms)"),
                );
            }
        }
    }

    if let Some(code) = log.status_code {
        if !(100.0..=599.0).contains(&code) || code.fract() != 0.0 {
            report.push(
                Rule::ValueRange,
                "/status_code".to_owned(),
                format!("status_code {code} is not an HTTP status"),
                "an HTTP status from 100 to 599",
            );
        } else if let Some(success) = log.success {
            let succeeded = code < 400.0;
            if success != succeeded {
                report.push(
                    Rule::StatusCoherence,
                    "/success".to_owned(),
                    format!("success is {success}, but status_code is {code}"),
                    "success true exactly for status codes below 400",
                );
            }
        }
    }
}

/// The precision a timestamp was written with, in milliseconds: 1000 for
/// whole seconds, 100 for one fractional digit, … at least 0.001.
fn precision_ms(timestamp: &Timestamp) -> f64 {
    let text = timestamp.as_str();
    let digits = text.find('.').map_or(0, |dot| {
        text[dot + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count()
    });
    1000.0 / 10f64.powi(i32::try_from(digits.min(9)).unwrap_or(9))
}

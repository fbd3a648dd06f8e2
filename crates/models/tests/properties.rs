//! Properties every model must have, for every contract's root type and each
//! of its nested types:
//!
//! - value → JSON → value is the identity, and JSON the model wrote reads
//!   back and writes out byte for byte (absent and `null` stay apart);
//! - every value a model can produce satisfies the model's own JSON Schema,
//!   with `date-time` asserted by the jsonschema crate's own checker (so the
//!   models' timestamps agree with the standard one, not only with ours).

use actionlog_models::contracts::{arklow, auth0, buddy, stackone, tines};
use actionlog_models::schema;
use proptest::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

fn validator_for<T: JsonSchema>() -> jsonschema::Validator {
    let schema = serde_json::to_value(schema::generate::<T>()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn check_model<T>(value: &T, validator: &jsonschema::Validator) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json)
        .map_err(|error| TestCaseError::fail(format!("{error} reading back {json}")))?;
    prop_assert_eq!(&back, value);
    prop_assert_eq!(serde_json::to_string(&back).unwrap(), json.clone());

    let instance: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    prop_assert!(errors.is_empty(), "{json}\nfails its schema: {errors:#?}");
    Ok(())
}

macro_rules! model_properties {
    ($($test:ident: $ty:ty,)+) => {$(
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn $test(value in any::<$ty>()) {
                thread_local! {
                    static VALIDATOR: jsonschema::Validator = validator_for::<$ty>();
                }
                VALIDATOR.with(|validator| check_model(&value, validator))?;
            }
        }
    )+};
}

model_properties! {
    auth0_execution: auth0::Execution,
    auth0_execution_result: auth0::ExecutionResult,
    auth0_execution_error: auth0::ExecutionError,
    buddy_action_execution: buddy::ActionExecution,
    buddy_action: buddy::Action,
    buddy_variable: buddy::Variable,
    buddy_key_value: buddy::KeyValue,
    arklow_action_records: arklow::ActionRecords,
    arklow_record_page: arklow::RecordPage,
    arklow_action_record: arklow::ActionRecord,
    arklow_action_state: arklow::ActionState,
    arklow_action_definition: arklow::ActionDefinition,
    arklow_definition_destination: arklow::DefinitionDestination,
    arklow_destination: arklow::Destination,
    arklow_destination_config: arklow::DestinationConfig,
    arklow_signaling: arklow::Signaling,
    arklow_record_event: arklow::RecordEvent,
    arklow_api_error: arklow::ApiError,
    tines_action_events: tines::ActionEvents,
    tines_event: tines::Event,
    tines_meta: tines::Meta,
    stackone_action_log: stackone::ActionLog,
}

/// Unknown enum values are kept, not lost: the SDKs' open enums, ours too.
macro_rules! open_enum_round_trips {
    ($($test:ident: $ty:ty,)+) => {$(
        proptest! {
            #[test]
            fn $test(wire in actionlog_models::wire_enum::undocumented_value(<$ty>::DOCUMENTED)) {
                let json = serde_json::to_string(&wire).unwrap();
                let value: $ty = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&value, &<$ty>::Other(wire.clone()));
                prop_assert!(!value.is_documented());
                prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
            }
        }
    )+};
}

open_enum_round_trips! {
    auth0_trigger_keeps_unknown_values: auth0::TriggerId,
    auth0_status_keeps_unknown_values: auth0::ExecutionStatus,
    buddy_status_keeps_unknown_values: buddy::ExecutionStatus,
    stackone_log_type_keeps_unknown_values: stackone::LogType,
    arklow_search_op_keeps_unknown_values: arklow::SearchOp,
}

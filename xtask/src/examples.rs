//! Example responses generated from each model's proptest strategy with a
//! fixed seed, kept in `fixtures/<contract-id>/generated/`. They show what
//! the models can produce and prove it validates: a candidate is kept only
//! when the validator finds nothing wrong with it (`time.sane` aside, which
//! depends on today's date and would make the selection drift over time).

use crate::generated::GeneratedFile;
use actionlog_validator::{CompiledSchema, Policy, Rule};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::PathBuf;

/// How many examples each contract keeps.
const PER_CONTRACT: usize = 3;
/// How many candidates are drawn at most before giving up on a contract.
const ATTEMPTS: usize = 5_000;

/// The example files for every contract.
pub fn files() -> anyhow::Result<Vec<GeneratedFile>> {
    let mut policy = Policy::default();
    policy.overrides.insert(Rule::TimeSane, None);
    let mut files = Vec::new();
    for contract in actionlog_models::CONTRACTS {
        let schema = CompiledSchema::compile(contract)?;
        let mut seed = [0u8; 32];
        for (slot, byte) in seed.iter_mut().zip(contract.id.bytes()) {
            *slot = byte;
        }
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
        );
        let mut kept = 0;
        for _ in 0..ATTEMPTS {
            let text = (contract.response.generate)(&mut runner);
            let clean = actionlog_validator::check::check(&schema, &policy, &text)
                .is_ok_and(|outcome| outcome.diagnostics.is_empty());
            if clean {
                kept += 1;
                files.push(GeneratedFile {
                    path: PathBuf::from("fixtures")
                        .join(contract.id)
                        .join("generated")
                        .join(format!("example-{kept}.json")),
                    text: format!("{text}\n"),
                });
                if kept == PER_CONTRACT {
                    break;
                }
            }
        }
        anyhow::ensure!(
            kept == PER_CONTRACT,
            "only {kept} of {ATTEMPTS} generated {} documents validate",
            contract.id
        );
    }
    Ok(files)
}

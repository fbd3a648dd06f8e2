//! The `actionlog` binary, built from the repository root for `cargo install
//! --path .` and pre-commit. It is the same program as `crates/validator`'s.

fn main() -> std::process::ExitCode {
    actionlog_validator::cli::main()
}

//! The `actionlog` binary: all of it lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    actionlog_validator::cli::main()
}

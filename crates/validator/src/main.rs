fn main() -> std::process::ExitCode {
    actionlog_validator::cli::main()
}

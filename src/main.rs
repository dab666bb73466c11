fn main() -> std::process::ExitCode {
    psa_link::cli::main()
}

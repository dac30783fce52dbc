#![no_main]
// One input to opsbook::fuzz_api::alert_rules; see src/fuzz_api.rs for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        opsbook::fuzz_api::alert_rules(text);
    }
});

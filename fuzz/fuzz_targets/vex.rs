#![no_main]
// One input to opsbook::fuzz_api::vex; see src/fuzz_api.rs for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    opsbook::fuzz_api::vex(data);
});
